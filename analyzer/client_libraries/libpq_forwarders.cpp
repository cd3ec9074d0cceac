// Every libpq function that dbvet and the static libpqxx call, forwarded to the libpq opened on the
// first call (see lazy_library.hpp). A function missing here is a link error ("undefined reference
// to PQ..."), so a new one is added by copying its declaration from libpq-fe.h.
#include <libpq-fe.h>

#include "analyzer/client_libraries/lazy_library.hpp"

DBVET_LAZY_FORWARD(libpq, int, PQbackendPID, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQcancel, (PGcancel * cancel, char* errbuf, int errbufsize),
                   (cancel, errbuf, errbufsize))
DBVET_LAZY_FORWARD(libpq, void, PQclear, (PGresult * res), (res))
DBVET_LAZY_FORWARD(libpq, int, PQclientEncoding, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, char*, PQcmdStatus, (PGresult * res), (res))
DBVET_LAZY_FORWARD(libpq, char*, PQcmdTuples, (PGresult * res), (res))
DBVET_LAZY_FORWARD(libpq, PostgresPollingStatusType, PQconnectPoll, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, PGconn*, PQconnectStart, (const char* conninfo), (conninfo))
DBVET_LAZY_FORWARD(libpq, PGconn*, PQconnectdb, (const char* conninfo), (conninfo))
DBVET_LAZY_FORWARD(libpq, int, PQconsumeInput, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, char*, PQdb, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, char*, PQencryptPassword, (const char* passwd, const char* user), (passwd, user))
DBVET_LAZY_FORWARD(libpq, int, PQendcopy, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, char*, PQerrorMessage, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, unsigned char*, PQescapeByteaConn,
                   (PGconn * conn, const unsigned char* from, size_t from_length, size_t* to_length),
                   (conn, from, from_length, to_length))
DBVET_LAZY_FORWARD(libpq, char*, PQescapeIdentifier, (PGconn * conn, const char* str, size_t len), (conn, str, len))
DBVET_LAZY_FORWARD(libpq, size_t, PQescapeStringConn,
                   (PGconn * conn, char* to, const char* from, size_t length, int* error),
                   (conn, to, from, length, error))
DBVET_LAZY_FORWARD(libpq, PGresult*, PQexec, (PGconn * conn, const char* query), (conn, query))
DBVET_LAZY_FORWARD(libpq, PGresult*, PQexecParams,
                   (PGconn * conn, const char* command, int nParams, const Oid* paramTypes,
                    const char* const* paramValues, const int* paramLengths, const int* paramFormats, int resultFormat),
                   (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
DBVET_LAZY_FORWARD(libpq, PGresult*, PQexecPrepared,
                   (PGconn * conn, const char* stmtName, int nParams, const char* const* paramValues,
                    const int* paramLengths, const int* paramFormats, int resultFormat),
                   (conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat))
DBVET_LAZY_FORWARD(libpq, void, PQfinish, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, char*, PQfname, (const PGresult* res, int field_num), (res, field_num))
DBVET_LAZY_FORWARD(libpq, int, PQfnumber, (const PGresult* res, const char* field_name), (res, field_name))
DBVET_LAZY_FORWARD(libpq, void, PQfreeCancel, (PGcancel * cancel), (cancel))
DBVET_LAZY_FORWARD(libpq, void, PQfreemem, (void* ptr), (ptr))
DBVET_LAZY_FORWARD(libpq, Oid, PQftable, (const PGresult* res, int field_num), (res, field_num))
DBVET_LAZY_FORWARD(libpq, int, PQftablecol, (const PGresult* res, int field_num), (res, field_num))
DBVET_LAZY_FORWARD(libpq, Oid, PQftype, (const PGresult* res, int field_num), (res, field_num))
DBVET_LAZY_FORWARD(libpq, PGcancel*, PQgetCancel, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQgetCopyData, (PGconn * conn, char** buffer, int async), (conn, buffer, async))
DBVET_LAZY_FORWARD(libpq, PGresult*, PQgetResult, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQgetisnull, (const PGresult* res, int tup_num, int field_num),
                   (res, tup_num, field_num))
DBVET_LAZY_FORWARD(libpq, int, PQgetlength, (const PGresult* res, int tup_num, int field_num),
                   (res, tup_num, field_num))
DBVET_LAZY_FORWARD(libpq, char*, PQgetvalue, (const PGresult* res, int tup_num, int field_num),
                   (res, tup_num, field_num))
DBVET_LAZY_FORWARD(libpq, char*, PQhost, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQisBusy, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQisthreadsafe, (), ())
DBVET_LAZY_FORWARD(libpq, int, PQnfields, (const PGresult* res), (res))
DBVET_LAZY_FORWARD(libpq, PGnotify*, PQnotifies, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQntuples, (const PGresult* res), (res))
DBVET_LAZY_FORWARD(libpq, Oid, PQoidValue, (const PGresult* res), (res))
DBVET_LAZY_FORWARD(libpq, char*, PQport, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, PGresult*, PQprepare,
                   (PGconn * conn, const char* stmtName, const char* query, int nParams, const Oid* paramTypes),
                   (conn, stmtName, query, nParams, paramTypes))
DBVET_LAZY_FORWARD(libpq, int, PQprotocolVersion, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQputCopyData, (PGconn * conn, const char* buffer, int nbytes), (conn, buffer, nbytes))
DBVET_LAZY_FORWARD(libpq, int, PQputCopyEnd, (PGconn * conn, const char* errormsg), (conn, errormsg))
DBVET_LAZY_FORWARD(libpq, void, PQreset, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, char*, PQresultErrorField, (const PGresult* res, int fieldcode), (res, fieldcode))
DBVET_LAZY_FORWARD(libpq, char*, PQresultErrorMessage, (const PGresult* res), (res))
DBVET_LAZY_FORWARD(libpq, ExecStatusType, PQresultStatus, (const PGresult* res), (res))
DBVET_LAZY_FORWARD(libpq, int, PQsendQuery, (PGconn * conn, const char* query), (conn, query))
DBVET_LAZY_FORWARD(libpq, int, PQsendQueryPrepared,
                   (PGconn * conn, const char* stmtName, int nParams, const char* const* paramValues,
                    const int* paramLengths, const int* paramFormats, int resultFormat),
                   (conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat))
DBVET_LAZY_FORWARD(libpq, int, PQserverVersion, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, PQsetClientEncoding, (PGconn * conn, const char* encoding), (conn, encoding))
DBVET_LAZY_FORWARD(libpq, PGVerbosity, PQsetErrorVerbosity, (PGconn * conn, PGVerbosity verbosity), (conn, verbosity))
DBVET_LAZY_FORWARD(libpq, PQnoticeProcessor, PQsetNoticeProcessor, (PGconn * conn, PQnoticeProcessor proc, void* arg),
                   (conn, proc, arg))
DBVET_LAZY_FORWARD(libpq, int, PQsocket, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, ConnStatusType, PQstatus, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, void, PQtrace, (PGconn * conn, FILE* debug_port), (conn, debug_port))
DBVET_LAZY_FORWARD(libpq, PGTransactionStatusType, PQtransactionStatus, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, unsigned char*, PQunescapeBytea, (const unsigned char* strtext, size_t* retbuflen),
                   (strtext, retbuflen))
DBVET_LAZY_FORWARD(libpq, void, PQuntrace, (PGconn * conn), (conn))
DBVET_LAZY_FORWARD(libpq, char*, PQuser, (const PGconn* conn), (conn))
DBVET_LAZY_FORWARD(libpq, int, lo_close, (PGconn * conn, int fd), (conn, fd))
DBVET_LAZY_FORWARD(libpq, Oid, lo_creat, (PGconn * conn, int mode), (conn, mode))
DBVET_LAZY_FORWARD(libpq, int, lo_export, (PGconn * conn, Oid lobjId, const char* filename), (conn, lobjId, filename))
DBVET_LAZY_FORWARD(libpq, Oid, lo_import, (PGconn * conn, const char* filename), (conn, filename))
DBVET_LAZY_FORWARD(libpq, int, lo_lseek, (PGconn * conn, int fd, int offset, int whence), (conn, fd, offset, whence))
DBVET_LAZY_FORWARD(libpq, int, lo_open, (PGconn * conn, Oid lobjId, int mode), (conn, lobjId, mode))
DBVET_LAZY_FORWARD(libpq, int, lo_read, (PGconn * conn, int fd, char* buf, size_t len), (conn, fd, buf, len))
DBVET_LAZY_FORWARD(libpq, int, lo_tell, (PGconn * conn, int fd), (conn, fd))
DBVET_LAZY_FORWARD(libpq, int, lo_unlink, (PGconn * conn, Oid lobjId), (conn, lobjId))
DBVET_LAZY_FORWARD(libpq, int, lo_write, (PGconn * conn, int fd, const char* buf, size_t len), (conn, fd, buf, len))
DBVET_LAZY_FORWARD(libpq, const char*, pg_encoding_to_char, (int encoding), (encoding))
