/**
 * The script themes include (`<script src="/api/views/client.js" data-post="123" defer>`).
 * Once per page load it sends the view beacon (for `data-post`, or else the page's path),
 * waiting while the page is only prerendered, and fills every `[data-wp-edge-views="ID"]`
 * element with that post's count. No dependencies; served as written, well under 2 KB.
 */
export const CLIENT_SCRIPT = `(function () {
  if (window.wpEdgeViews) return;
  window.wpEdgeViews = true;
  var script = document.currentScript;
  var src = script && script.getAttribute('src');
  var api = (src && src.split('/client.js')[0]) || '/api/views';
  var post = script && script.dataset.post;
  var beacon = JSON.stringify(post ? { postId: +post } : { path: location.pathname });
  function send() {
    if (!(navigator.sendBeacon && navigator.sendBeacon(api, beacon)))
      fetch(api, { method: 'POST', body: beacon, keepalive: true });
  }
  if (document.prerendering) document.addEventListener('prerenderingchange', send, { once: true });
  else send();
  var els = [].slice.call(document.querySelectorAll('[data-wp-edge-views]'));
  var ids = els.map(function (el) { return el.dataset.wpEdgeViews; })
    .filter(function (id, i, all) { return /^[1-9]\\d{0,14}$/.test(id) && all.indexOf(id) === i; });
  for (var i = 0; i < ids.length; i += 100) {
    fetch(api + '?posts=' + ids.slice(i, i + 100).join(','))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        els.forEach(function (el) {
          var count = data.posts[el.dataset.wpEdgeViews];
          if (count) el.textContent = count.views.toLocaleString();
        });
      });
  }
})();
`;
