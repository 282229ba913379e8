// While the title and description of a request are typed, shows the collège's open tickets that look
// like the same fault, so that the person can follow one instead of reporting it again (issue 16).
// The page works without it: the same list is shown once after « Envoyer la demande ».
(() => {
  const form = document.getElementById('demande');
  const region = document.getElementById('semblables-direct');
  const title = document.getElementById('title');
  const description = document.getElementById('description');
  if (!form || !region || !title || !description) {
    return;
  }

  const url = form.dataset.similarUrl;
  const token = form.querySelector('input[name="__RequestVerificationToken"]');
  const college = document.getElementById('college');
  let timer = 0;
  let asked = '';

  async function refresh() {
    const text = `${title.value.trim()}\n${description.value.trim()}`;
    if (text === asked || text.trim().length < 10) {
      return;
    }

    asked = text;
    const body = new FormData();
    body.append('Input.Title', title.value);
    body.append('Input.Description', description.value);
    if (college) {
      body.append('Input.CollegeUai', college.value);
    }

    if (token) {
      body.append('__RequestVerificationToken', token.value);
    }

    try {
      const response = await fetch(url, { method: 'POST', body, credentials: 'same-origin' });
      // An answer to an older text is not shown over a newer one.
      if (response.ok && asked === text) {
        region.innerHTML = await response.text();
      }
    } catch {
      // A hint never holds the form back.
    }
  }

  for (const field of [title, description]) {
    field.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 700);
    });
  }
})();
