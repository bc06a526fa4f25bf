// Dates and months as Chinese documents write them: 2026年3月2日, 2026年3月.

export const zhDate = (d: string) =>
  `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
export const zhMonth = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
