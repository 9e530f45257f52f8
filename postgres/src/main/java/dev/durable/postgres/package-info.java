/**
 * Keeps a Durable server's histories and state in PostgreSQL: {@link dev.durable.postgres.PostgresStorage}.
 */
package dev.durable.postgres;
