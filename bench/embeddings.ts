/**
 * Clustered synthetic embeddings, made on the server, so that nearest
 * neighbours mean something (as with a real model, automations about the same
 * thing are close) and the vector search has a real answer to find:
 *
 *   - `topics` centroids, unit vectors made of FACTORS shared random
 *     directions with Gaussian weights, plus a little of their own: topics are
 *     related to each other by degrees (as "invoicing" and "payroll" are), not
 *     all orthogonal, which is what real embeddings look like (and what puts
 *     a business between two topics near the automations of both);
 *   - automation i belongs to topic (i - 1) % topics: its embedding is its
 *     centroid plus Gaussian noise of length NOISE, normalised to unit length;
 *   - query q (a business) is one topic's centroid plus noise, or, for every
 *     other query, the mean of two topics' centroids plus noise.
 *
 * With NOISE 0.8 two members of a topic have a cosine similarity of about 0.6,
 * unrelated vectors about 0. Gaussian numbers come from pg_temp.bench_random
 * (Box–Muller), so the vectors are the same on every run and server.
 */
import type { Scale } from './scale.js';

export const DIMENSIONS = 1536;
/** length of the noise added to a centroid (which has length 1) */
export const NOISE = 0.8;

/** Streams of pg_temp.bench_random used here. */
const FACTOR = 100;
const WEIGHT = 108;
const OWN = 110;
/** shared directions the topics are made of */
export const FACTORS = 8;
/** length of a topic's own direction, beside the shared ones (which have length about 1) */
const OWN_LENGTH = 0.5;
const MEMBER = 102;
const QUERY = 104;
const QUERY_TOPIC = 106;

/** Helpers and the centroids table; needs generate.ts's HELPERS first. */
export const EMBEDDING_SQL = (scale: Scale) => /* sql */ `
-- a vector of ${DIMENSIONS} independent normal numbers of standard deviation sigma
create or replace function pg_temp.bench_noise(stream integer, n bigint, sigma double precision)
returns extensions.vector
language sql immutable as $$
  select array_agg(
    sigma * sqrt(-2 * ln(1 - pg_temp.bench_random(stream, n * ${DIMENSIONS} + d)))
          * cos(2 * pi() * pg_temp.bench_random(stream + 1, n * ${DIMENSIONS} + d))
    order by d)::extensions.vector
  from generate_series(0, ${DIMENSIONS - 1}) as d
$$;
drop table if exists pg_temp.bench_factors;
create temporary table bench_factors (factor integer primary key, direction real[] not null);
insert into pg_temp.bench_factors
select f, extensions.l2_normalize(pg_temp.bench_noise(${FACTOR}, f, 1))::real[]
from generate_series(0, ${FACTORS - 1}) as f;
drop table if exists pg_temp.bench_centroids;
create temporary table bench_centroids (topic integer primary key, centroid extensions.vector(${DIMENSIONS}) not null);
insert into pg_temp.bench_centroids
select x.topic, extensions.l2_normalize(array_agg(x.value order by x.d)::extensions.vector + pg_temp.bench_noise(${OWN}, x.topic, ${OWN_LENGTH / Math.sqrt(DIMENSIONS)}))
from (
  select t as topic, d, sum(w.weight * f.direction[d + 1]) as value
    from generate_series(0, ${scale.topics - 1}) as t
   cross join pg_temp.bench_factors f
   cross join lateral (select sqrt(-2 * ln(1 - pg_temp.bench_random(${WEIGHT}, t * 1000 + f.factor)))
                              * cos(2 * pi() * pg_temp.bench_random(${WEIGHT + 1}, t * 1000 + f.factor)) / sqrt(${FACTORS}) as weight) as w
   cross join generate_series(0, ${DIMENSIONS - 1}) as d
   group by t, d
) as x
group by x.topic;
`;

/** The embedding of automation number `i` (an SQL expression over column i). */
export function embeddingSql(i: string): string {
  return `(select extensions.l2_normalize(c.centroid + pg_temp.bench_noise(${MEMBER}, ${i}, ${NOISE / Math.sqrt(DIMENSIONS)}))
      from pg_temp.bench_centroids c where c.topic = (${i} - 1) % (select count(*) from pg_temp.bench_centroids))`;
}

/**
 * pg_temp.bench_queries(id, embedding): `count` query embeddings. Needs
 * EMBEDDING_SQL in the same session. Kept on the server so the timed search
 * does not include sending and parsing 1536 numbers.
 */
export const QUERIES_SQL = (count: number) => /* sql */ `
drop table if exists pg_temp.bench_queries;
create temporary table bench_queries (id integer primary key, embedding extensions.vector(${DIMENSIONS}) not null);
insert into pg_temp.bench_queries
select q, extensions.l2_normalize(
  case when q % 2 = 1 then a.centroid else extensions.l2_normalize(a.centroid + b.centroid) end
  + pg_temp.bench_noise(${QUERY}, q, ${NOISE / Math.sqrt(DIMENSIONS)}))
from generate_series(1, ${count}) as q
cross join lateral (select (select count(*) from pg_temp.bench_centroids) as topics) as k
join pg_temp.bench_centroids a on a.topic = floor(pg_temp.bench_random(${QUERY_TOPIC}, q) * k.topics)
join pg_temp.bench_centroids b on b.topic = floor(pg_temp.bench_random(${QUERY_TOPIC + 1}, q) * k.topics);
analyze pg_temp.bench_queries;
`;
