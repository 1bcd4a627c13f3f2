// The document page: the live N/150 comment counter (code points after NFC, as the server
// counts), while the document converts a progress bar fed by the API, and page images tried
// again when the server was too busy to draw them (503 + Retry-After).
(function () {
  'use strict';
  var MAX = 150;
  function count(text) { return Array.from(text.normalize('NFC').trim()).length; }

  var form = document.getElementById('comment-form');
  if (form) {
    var area = document.getElementById('comment-text');
    var counter = document.getElementById('comment-counter');
    var error = document.getElementById('comment-error');
    var submit = document.getElementById('comment-submit');
    var update = function () {
      var n = count(area.value);
      counter.textContent = n + '/' + MAX;
      counter.classList.toggle('over', n > MAX);
      if (n > MAX) {
        error.textContent = error.dataset.tooLong;
      } else if (error.textContent === error.dataset.tooLong) {
        error.textContent = '';
      }
    };
    area.addEventListener('input', update);
    update();
    form.addEventListener('submit', function (e) {
      var n = count(area.value);
      if (n === 0 || n > MAX) {
        e.preventDefault();
        error.textContent = n === 0 ? error.dataset.empty : error.dataset.tooLong;
        area.focus();
      } else {
        submit.disabled = true;
      }
    });
  }

  // Pages past the free preview are drawn when first asked for; when the server is busy it
  // answers 503 and the image fails to load. Ask again a few times, a few seconds apart.
  var RETRIES = 6;
  Array.prototype.forEach.call(document.querySelectorAll('img.page-image'), function (img) {
    var tries = 0;
    var retry = function () {
      if (tries >= RETRIES) return;
      tries += 1;
      setTimeout(function () {
        var src = img.getAttribute('src').replace(/[?&]retry=\d+$/, '');
        img.src = src + (src.indexOf('?') < 0 ? '?' : '&') + 'retry=' + tries;
      }, 3000 * tries);
    };
    img.addEventListener('error', retry);
    if (img.complete && img.naturalWidth === 0 && img.getAttribute('src')) retry();
  });

  var box = document.getElementById('converting');
  if (box) {
    var bar = document.getElementById('doc-progress');
    var label = document.getElementById('doc-progress-label');
    var poll = function () {
      fetch(box.dataset.poll, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (d.state === 'ready' || d.state === 'failed') { window.location.reload(); return; }
          if (d.progress && d.progress.total > 0) {
            bar.max = d.progress.total;
            bar.value = d.progress.done;
            label.textContent = d.progress.done + '/' + d.progress.total;
          }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
})();
