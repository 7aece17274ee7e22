/* Count this article page as one view (Sinmun audience; docs/decisions/0020).
 *
 * The page may come whole from a cache, so the view is counted here, in the reader's browser:
 * one POST of the article id and the referrer to the uncached endpoint. Nothing is sent while
 * the page is prerendered or sits in a background tab never looked at; it is sent once the
 * reader sees it. No cookie, no storage, no identifier.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.article || !script.dataset.endpoint) return;
  var sent = false;

  function send() {
    if (sent || document.visibilityState !== "visible" || document.prerendering) return;
    sent = true;
    var body = new URLSearchParams();
    body.set("a", script.dataset.article);
    body.set("r", document.referrer || "");
    if (navigator.sendBeacon && navigator.sendBeacon(script.dataset.endpoint, body)) return;
    if (window.fetch) {
      fetch(script.dataset.endpoint, {
        method: "POST", body: body, keepalive: true, credentials: "omit"
      }).catch(function () {});
    }
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  }
  document.addEventListener("visibilitychange", send);
  send();
})();
