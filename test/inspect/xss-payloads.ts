import { capturiFixtures } from "../fixtures/index.ts";

/** Markup that would run if any page or script put it into the DOM as HTML. */
export const SCRIPT_PAYLOAD = "<script>window.__pwned = 1; document.title = 'pwned'</script>";
export const IMG_PAYLOAD = `<img src=x onerror="window.__pwned = 2; document.title = 'pwned'">`;

/** A realistic Full delivery whose subject carries both payloads. */
export function hostileConversation() {
  const body = structuredClone(capturiFixtures.conversationProcessedFull);
  body.eventUid = crypto.randomUUID();
  body.entity.subject = `Quote ${SCRIPT_PAYLOAD} ${IMG_PAYLOAD}`;
  return body;
}

/** An event type no schema knows, so that the list shows the payload as the event type. */
export function hostileUnknownEvent() {
  return { eventUid: crypto.randomUUID(), event: `Evil${IMG_PAYLOAD}`, uid: crypto.randomUUID() };
}
