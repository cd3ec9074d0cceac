// Every libmariadb function dbvet calls, forwarded to the libmariadb opened on the first call (see
// lazy_library.hpp). A function missing here is a link error ("undefined reference to mysql_..."),
// so a new one is added by copying its declaration from mysql.h.
#include <mysql.h>

#include "analyzer/client_libraries/lazy_library.hpp"

DBVET_LAZY_FORWARD(libmariadb, my_ulonglong, mysql_affected_rows, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, void, mysql_close, (MYSQL * sock), (sock))
DBVET_LAZY_FORWARD(libmariadb, unsigned int, mysql_errno, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, const char*, mysql_error, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, MYSQL_FIELD*, mysql_fetch_fields, (MYSQL_RES * res), (res))
DBVET_LAZY_FORWARD(libmariadb, unsigned long*, mysql_fetch_lengths, (MYSQL_RES * result), (result))
DBVET_LAZY_FORWARD(libmariadb, MYSQL_ROW, mysql_fetch_row, (MYSQL_RES * result), (result))
DBVET_LAZY_FORWARD(libmariadb, unsigned int, mysql_field_count, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, void, mysql_free_result, (MYSQL_RES * result), (result))
DBVET_LAZY_FORWARD(libmariadb, char*, mysql_get_server_info, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, MYSQL*, mysql_init, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, my_bool, mysql_more_results, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, int, mysql_next_result, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, unsigned int, mysql_num_fields, (MYSQL_RES * res), (res))
DBVET_LAZY_FORWARD(libmariadb, int, mysql_options, (MYSQL * mysql, enum mysql_option option, const void* arg),
                   (mysql, option, arg))
DBVET_LAZY_FORWARD(libmariadb, MYSQL*, mysql_real_connect,
                   (MYSQL * mysql, const char* host, const char* user, const char* passwd, const char* db,
                    unsigned int port, const char* unix_socket, unsigned long clientflag),
                   (mysql, host, user, passwd, db, port, unix_socket, clientflag))
DBVET_LAZY_FORWARD(libmariadb, unsigned long, mysql_real_escape_string,
                   (MYSQL * mysql, char* to, const char* from, unsigned long length), (mysql, to, from, length))
DBVET_LAZY_FORWARD(libmariadb, int, mysql_real_query, (MYSQL * mysql, const char* q, unsigned long length),
                   (mysql, q, length))
DBVET_LAZY_FORWARD(libmariadb, int, mysql_set_server_option, (MYSQL * mysql, enum enum_mysql_set_option option),
                   (mysql, option))
DBVET_LAZY_FORWARD(libmariadb, MYSQL_RES*, mysql_store_result, (MYSQL * mysql), (mysql))
DBVET_LAZY_FORWARD(libmariadb, MYSQL_RES*, mysql_use_result, (MYSQL * mysql), (mysql))
