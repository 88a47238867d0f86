// Forms with files (form[data-upload]): names the files that are over the limits as soon as they
// are chosen, and sends the form with a progress bar per file, then goes where the server sent
// it (the thread, or the form again with its errors). Without this script the same form posts
// the plain HTML way, and the server checks everything again either way.
(() => {
  if (window.ccUpload) return;
  window.ccUpload = true;

  const fieldOf = (form) => form.querySelector('.attach-field');
  const say = (field, text) => {
    const out = field.querySelector('.field-error');
    out.textContent = text;
    field.classList.toggle('invalid', text !== '');
  };
  const sizeText = (n) => (n < 1048576 ? Math.max(1, Math.ceil(n / 1024)) + ' KB' : (n / 1048576).toFixed(1) + ' MB');

  // the first problem with the chosen files, in the page's words ('' when there is none)
  const problem = (field, files) => {
    const d = field.dataset;
    let total = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (i >= Number(d.maxFiles)) return d.msgCount.replace('{name}', f.name);
      if (f.size > Number(d.maxFile)) return d.msgFile.replace('{name}', f.name);
      total += f.size;
      if (total > Number(d.maxTotal)) return d.msgTotal.replace('{name}', f.name);
    }
    return '';
  };

  const list = (field, files) => {
    const ul = field.querySelector('.upload-progress');
    ul.textContent = '';
    return Array.from(files, (f) => {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = f.name + ' · ' + sizeText(f.size);
      const bar = document.createElement('progress');
      bar.max = Math.max(f.size, 1);
      bar.value = 0;
      bar.setAttribute('aria-label', f.name);
      li.append(label, bar);
      ul.append(li);
      return bar;
    });
  };

  document.addEventListener('change', (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    const form = input.form;
    const field = form && form.matches('[data-upload]') ? fieldOf(form) : null;
    if (!field) return;
    say(field, problem(field, input.files));
    list(field, input.files);
  });

  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('[data-upload]')) return;
    const field = fieldOf(form);
    const input = form.querySelector('input[type=file]');
    if (!field || !input || input.files.length === 0) return; // nothing to upload: posted as usual
    e.preventDefault();
    const files = Array.from(input.files);
    const wrong = problem(field, files);
    if (wrong) {
      say(field, wrong);
      input.focus();
      return;
    }
    say(field, '');
    const bars = list(field, files);
    const buttons = form.querySelectorAll('button[type=submit], button:not([type])');
    buttons.forEach((b) => { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
    const data = new FormData(form);
    // the text fields go first and are small: the bytes sent so far fill the files in order
    const textBytes = Math.max(0, new Blob([new URLSearchParams(Array.from(data.entries()).filter(([, v]) => typeof v === 'string')).toString()]).size);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    // a plain form post for the server: it answers with a redirect, which the request follows
    xhr.setRequestHeader('Accept', 'text/html');
    xhr.upload.addEventListener('progress', (p) => {
      let left = Math.max(0, p.loaded - textBytes);
      files.forEach((f, i) => {
        const done = Math.min(left, f.size);
        bars[i].value = done;
        left -= done;
      });
    });
    xhr.responseType = 'document';
    const enable = () => buttons.forEach((b) => { b.disabled = false; b.removeAttribute('aria-busy'); });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 400 && xhr.responseURL.includes('__err=') && xhr.response) {
        // refused: the server's page for the form, with the errors; they are shown here, and
        // what the person typed and chose stays as it is
        const doc = xhr.response;
        let shown = 0;
        doc.querySelectorAll('.field-error[id]').forEach((src) => {
          const dst = document.getElementById(src.id);
          if (!dst) return;
          dst.textContent = src.textContent;
          if (src.textContent.trim() !== '') shown += 1;
          const box = dst.closest('.field');
          if (box) box.classList.toggle('invalid', src.textContent.trim() !== '');
        });
        const prev = form.previousElementSibling;
        if (prev && prev.matches('.alert.error')) prev.remove();
        const alert = doc.querySelector('.alert.error');
        if (alert) form.before(document.importNode(alert, true));
        // the page that came back has no place for the error (the chat ended meanwhile)
        if (!shown && !alert) say(field, field.dataset.msgFailed);
        bars.forEach((b) => { b.value = 0; });
        enable();
        const first = form.querySelector('.invalid input, .invalid textarea, .invalid select');
        if (first) first.focus();
        return;
      }
      if (xhr.status >= 200 && xhr.status < 400 && form.matches('[data-stay]')) {
        // a chat: the files arrive in the room over its connection; the form is ready again,
        // with a new id for the next sending
        form.reset();
        field.querySelector('.upload-progress').textContent = '';
        form.querySelectorAll('input[name=client_id]').forEach((i) => { i.value = 'f' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10); });
        enable();
        return;
      }
      if (xhr.status >= 200 && xhr.status < 400 && xhr.responseURL) {
        bars.forEach((b) => { b.value = b.max; });
        window.location.assign(xhr.responseURL);
      } else {
        // a refusal before the form was read (too large as a whole): the server's words
        say(field, xhr.status === 413 ? field.dataset.msgTotal.replace('{name}', files[files.length - 1].name) : field.dataset.msgFailed);
        enable();
      }
    });
    const failed = () => {
      say(field, field.dataset.msgFailed);
      enable();
    };
    xhr.addEventListener('error', failed);
    xhr.addEventListener('abort', failed);
    xhr.send(data);
  });
})();
