/** The slope of the least-squares line through the points (change in y per unit of x); 0 with fewer than two distinct x. */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((a, [x]) => a + x, 0) / n;
  const meanY = points.reduce((a, [, y]) => a + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    varianceX += (x - meanX) ** 2;
  }
  return varianceX === 0 ? 0 : covariance / varianceX;
}
