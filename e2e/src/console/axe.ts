/**
 * The console's checks use the shared axe helper: it injects axe-core with evaluate(), which
 * the page's Content-Security-Policy (no inline scripts) does not apply to, as a script tag would.
 */
export { type AxeFinding, seriousAxeFindings as seriousAxeViolations } from '../support/axe.ts';
