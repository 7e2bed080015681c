// Which minutes each host logged in, for the availability accounting (sla/): a host silent
// while its peers log is down, a minute no host logged in is unknown. One bit per minute,
// two 30-bit words per UTC hour (JavaScript's bit operators stop at 32 bits); the store ORs
// them into host_activity, so a batch read twice sets nothing new.

/** host → UTC hour start (unix seconds) → [minutes 0-29, minutes 30-59] as bit masks */
export type HostActivity = Map<string, Map<number, [number, number]>>;

export function markActivity(a: HostActivity, host: string, at: number): void {
  const minute = Math.floor(at / 60);
  const hourAt = Math.floor(minute / 60) * 3600;
  const m = minute % 60;
  let hours = a.get(host);
  if (hours === undefined) {
    hours = new Map();
    a.set(host, hours);
  }
  let w = hours.get(hourAt);
  if (w === undefined) {
    w = [0, 0];
    hours.set(hourAt, w);
  }
  if (m < 30) w[0] |= 1 << m;
  else w[1] |= 1 << (m - 30);
}
