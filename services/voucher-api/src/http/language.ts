export type Language = 'da' | 'en';

/** Danish unless the client prefers English over Danish in Accept-Language. */
export function preferredLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'da';
  let best: { language: Language; quality: number } = { language: 'da', quality: 0 };
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const language = tag.startsWith('en') ? 'en' : tag.startsWith('da') ? 'da' : undefined;
    if (!language) continue;
    const qualityParam = params.find((param) => param.trim().startsWith('q='));
    const quality = qualityParam ? Number(qualityParam.trim().slice(2)) : 1;
    if (quality > best.quality) best = { language, quality };
  }
  return best.language;
}
