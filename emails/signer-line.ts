// How a signer appears to an addressee: name and city only with their consent, never their email.
export type SignerForAddressee = { fullName: string; city: string; countryName: string; showName: boolean };

export function signerLine(s: SignerForAddressee): string {
  return s.showName ? `${s.fullName}, ${s.city}` : `A signer from ${s.countryName}`;
}
