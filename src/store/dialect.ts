/** The SQL engines Portico stores its data in. */
export type Dialect = 'sqlite' | 'postgres';
