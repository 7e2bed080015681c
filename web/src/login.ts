// Login page: carry ?next= into the form and show a failed attempt.
const params = new URLSearchParams(location.search);
const next = params.get('next');
const nextInput = document.getElementById('next') as HTMLInputElement | null;
if (nextInput && next && next.startsWith('/') && !next.startsWith('//')) nextInput.value = next;
if (params.get('error')) document.getElementById('error')?.removeAttribute('hidden');
