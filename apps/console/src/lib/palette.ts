/** Line colours: distinguishable, and dark enough on white (WCAG non-text contrast ≥ 3:1). */
export const PALETTE = ['#1d4ed8', '#c2410c', '#047857', '#7c3aed', '#b91c1c', '#0e7490'];

export const colorAt = (index: number): string => PALETTE[index % PALETTE.length];
