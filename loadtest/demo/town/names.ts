const FIRST = [
  'Ada', 'Ben', 'Chloé', 'Dev', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Luca', 'Mara', 'Nils', 'Olga', 'Pavel',
  'Quinn', 'Rosa', 'Sami', 'Tove', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Amir', 'Bea', 'Caio', 'Dana', 'Emil', 'Fiona',
  'Gus', 'Hana', 'Ivo', 'Jade', 'Kofi', 'Lena', 'Milo', 'Nora', 'Omar', 'Pia', 'Rafa', 'Sofia', 'Tariq', 'Ula', 'Vera', 'Wim',
  'Yara', 'Zeno', 'Aiko', 'Bruno', 'Cleo', 'Duc', 'Esra', 'Finn', 'Gaia', 'Hemi', 'Ilse', 'Joon',
];
const LAST = [
  'Silva', 'Novak', 'Okafor', 'Lindqvist', 'Moreau', 'Kowalski', 'Haddad', 'Tanaka', 'Rossi', 'Byrne', 'Costa', 'Meyer', 'Nguyen',
  'Petrov', 'Alvarez', 'Berg', 'Dubois', 'Ekström', 'Farah', 'Garcia', 'Horvat', 'Ivanova', 'Jensen', 'Kaya', 'Laine', 'Mensah',
  'Nakamura', 'Oliveira', 'Popescu', 'Quispe', 'Rahman', 'Santos', 'Toth', 'Varga', 'Weber', 'Yilmaz', 'Zielinski', 'Abebe', 'Brennan',
];

/** A first name for person `i` of a household with surname `last`. */
export function personName(pick: <T>(items: readonly T[]) => T, last: string): string {
  return `${pick(FIRST)} ${last}`;
}

export function surname(pick: <T>(items: readonly T[]) => T): string {
  return pick(LAST);
}
