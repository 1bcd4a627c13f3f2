// The upload page: drop or choose many files, give each its own title, category, price and
// description, then send each in turn to POST /api/v1/documents (raw body, X-CSRF-Token) with a
// bar for the transfer, then poll GET /api/v1/documents/{id} for a bar for the conversion,
// and link to the document when it is ready. Without this script the form posts as is.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form) return;
  var input = document.getElementById('file-input');
  var zone = document.getElementById('drop-zone');
  var list = document.getElementById('upload-list');
  var shared = document.getElementById('shared-fields');
  var tmpl = document.getElementById('upload-item-template');
  var msg = document.getElementById('upload-messages').dataset;
  var csrf = form.dataset.csrf;
  var items = [];

  function stem(name) { var i = name.lastIndexOf('.'); return i > 0 ? name.slice(0, i) : name; }

  function add(files) {
    Array.prototype.forEach.call(files, function (file) {
      var li = tmpl.content.firstElementChild.cloneNode(true);
      li.querySelector('.upload-name').textContent = file.name;
      li.querySelector('input[name=title]').value = stem(file.name);
      li.querySelector('select[name=category]').value =
        shared.querySelector('select[name=category]').value;
      li.querySelector('.remove').addEventListener('click', function () {
        items = items.filter(function (it) { return it.li !== li; });
        li.remove();
      });
      list.appendChild(li);
      items.push({ file: file, li: li, started: false });
    });
    shared.hidden = items.length > 0;
  }

  input.addEventListener('change', function () { add(input.files); input.value = ''; });
  ['dragenter', 'dragover'].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove('over'); });
  });
  zone.addEventListener('drop', function (e) { add(e.dataTransfer.files); });

  function status(it, state, text) {
    it.li.dataset.state = state;
    it.li.querySelector('.upload-status').textContent = text;
  }

  function watch(it, id) {
    var bar = it.li.querySelector('progress.convert');
    fetch('/api/v1/documents/' + id, { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.progress && d.progress.total > 0) { bar.max = d.progress.total; bar.value = d.progress.done; }
        if (d.state === 'ready') {
          bar.max = 1; bar.value = 1;
          status(it, 'ready', msg.ready);
          var a = it.li.querySelector('.doc-link');
          a.href = '/d/' + id; a.textContent = msg.open + ': ' + d.title; a.hidden = false;
        } else if (d.state === 'failed') {
          status(it, 'failed', msg.failed + (d.failure_reason ? ': ' + d.failure_reason : ''));
        } else {
          status(it, d.state, d.state === 'queued' ? msg.queued : msg.processing);
          setTimeout(function () { watch(it, id); }, 1000);
        }
      })
      .catch(function () { setTimeout(function () { watch(it, id); }, 3000); });
  }

  // Files go one at a time: the site takes two uploads of an account at once
  // (upload.per_account), so a third sent alongside would be refused (429).
  var queue = [];
  var sending = false;
  function next() {
    if (sending || queue.length === 0) return;
    sending = true;
    send(queue.shift(), function () { sending = false; next(); });
  }

  function send(it, done) {
    it.started = true;
    var li = it.li;
    li.querySelector('.remove').hidden = true;
    var q = new URLSearchParams({
      filename: it.file.name,
      title: li.querySelector('input[name=title]').value,
      category: li.querySelector('select[name=category]').value,
      price: li.querySelector('input[name=price]').value || '0',
      description: li.querySelector('textarea[name=description]').value
    });
    var xhr = new XMLHttpRequest();
    var bar = li.querySelector('progress.transfer');
    xhr.open('POST', '/api/v1/documents?' + q.toString());
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
    });
    status(it, 'uploading', msg.uploading);
    xhr.onloadend = done;
    xhr.onload = function () {
      var d = {};
      try { d = JSON.parse(xhr.responseText); } catch (err) { /* shown below */ }
      if (xhr.status === 202) {
        bar.max = 1; bar.value = 1;
        status(it, 'queued', msg.queued);
        watch(it, d.id);
      } else {
        var why = d.error ? d.error.message : xhr.status;
        if (d.error && d.error.fields) why += ' (' + Object.values(d.error.fields).join('; ') + ')';
        status(it, 'failed', msg.failed + ': ' + why);
      }
    };
    xhr.onerror = function () { status(it, 'failed', msg.failed); };
    xhr.send(it.file);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var waiting = items.filter(function (it) { return !it.started; });
    if (waiting.length === 0) { alert(msg.noFiles); return; }
    waiting.forEach(function (it) {
      it.started = true;
      it.li.querySelector('.remove').hidden = true;
      status(it, 'uploading', msg.uploading);
      queue.push(it);
    });
    next();
  });
})();
