\set aid random(1, 100000 * :scale)
\set x case when :aid % 2 = 0 then abs(-5) else greatest(1, 2.5, :aid) end
\if :x > 3 and not (:aid isnull)
SELECT :aid;
\elif :x is null
SELECT 1;
\else
\sleep 1 ms
\endif
\set h hash_fnv1a(:aid, 5) # 3 << 2 | ~1 & permute(3, 10)
\set z random_zipfian(1, 10, 1.5) + random_gaussian(1, 9, 2.5) * pow(2, 0.5) - ln(exp(1)) / sqrt(pi())
