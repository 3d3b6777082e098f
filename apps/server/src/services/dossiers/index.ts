export { DossierService } from './service.js';
export type {
  DossierChange,
  DossierListener,
  DossierRow,
  SystemPrincipal,
  WithinTransaction,
} from './types.js';
