// Login page: carry ?next= into the form and show a failed attempt (or too many of them).
const params = new URLSearchParams(location.search);
const next = params.get('next');
const nextInput = document.getElementById('next') as HTMLInputElement | null;
if (nextInput && next && next.startsWith('/') && !next.startsWith('//')) nextInput.value = next;
const error = params.get('error');
const errorLine = document.getElementById('error');
if (error && errorLine) {
  if (error === 'throttled') errorLine.textContent = 'Too many failed sign-ins: try again in a few minutes.';
  errorLine.removeAttribute('hidden');
}
