import { gmail } from './gmail/gmail.js';
import type { StandIn } from './stand-in.js';

/** The integration stand-ins every runtools knows, with no config. Add the next one here. */
export const STAND_INS: readonly StandIn[] = [gmail];
