export { openStore } from './open-store.js';
export type { Store, StoreOptions, Dialect } from './open-store.js';
export type * from './schema.js';
export { usersRepository } from './users-repository.js';
export type { UserRow, UsersRepository } from './users-repository.js';
export { settingsRepository } from './settings-repository.js';
export type { SettingsRepository } from './settings-repository.js';
