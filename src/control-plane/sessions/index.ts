export {
  sessionModule,
  sessionRoutes,
  sessionResolverFor,
  SESSION_COOKIE,
  CSRF_COOKIE,
  CSRF_HEADER,
} from './session-module.js';
export type { SessionModule } from './session-module.js';
