export interface Point {
  x: number;
  y: number;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** `n` spots on a circle of radius `r` around `centre`. */
export function circle(centre: Point, n: number, r: number): Point[] {
  if (n === 1) return [{ ...centre }];
  return Array.from({ length: n }, (_, i) => ({ x: centre.x + r * Math.cos((2 * Math.PI * i) / n), y: centre.y + r * Math.sin((2 * Math.PI * i) / n) }));
}

/** A grid of `columns` × `rows` spots `spacing` metres apart from `origin`. */
export function grid(origin: Point, columns: number, rows: number, spacing: number): Point[] {
  const out: Point[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out.push({ x: origin.x + c * spacing, y: origin.y + r * spacing });
  return out;
}
