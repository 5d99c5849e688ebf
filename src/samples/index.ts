export { pizzaShackBackend, PIZZASHACK_BACKEND_PATH, MAX_ORDERS } from './pizzashack-backend.js';
export type { PizzaOrder } from './pizzashack-backend.js';
export { PIZZASHACK_MENU } from './pizzashack-menu.js';
export type { MenuItem } from './pizzashack-menu.js';
export { pizzaShackApi, PIZZASHACK_NAME, PIZZASHACK_CONTEXT, PIZZASHACK_VERSION } from './pizzashack-api.js';
