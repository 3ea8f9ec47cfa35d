import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ProviderDto } from '../../auth/oidc/oidc.dto';
import type { SignInPolicyView } from '../sign-in-policy.view';

/** `undefined` means "absent: leave it as it is"; `null` means "any". */
const isPresentAndNotNull = (_object: object, value: unknown) => value !== undefined && value !== null;

export class SignInPolicyDto {
  @ApiProperty({
    description:
      'Members (admins, engineers) must sign in with a provider; their password sign-in answers 403 `sso_required`. Owners keep their password.',
  })
  require_external_sign_in!: boolean;

  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'Provider ids accepted for sign-in; null accepts every configured provider.',
  })
  allowed_providers!: string[] | null;

  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'Email domains accepted from providers (exact, lower-case); null accepts any.',
    example: ['example.com'],
  })
  allowed_email_domains!: string[] | null;

  @ApiProperty({ type: [ProviderDto], description: 'The providers configured on this server (what the lists may name).' })
  available_providers!: ProviderDto[];
}

export class UpdateSignInPolicyDto {
  @ApiPropertyOptional({ description: 'Require external sign-in for members.' })
  @IsOptional()
  @IsBoolean()
  require_external_sign_in?: boolean;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description: 'Accepted provider ids; null: any; absent: unchanged.',
    maxItems: 20,
  })
  @ValidateIf(isPresentAndNotNull)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  allowed_providers?: string[] | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description: 'Accepted email domains; null: any; absent: unchanged.',
    maxItems: 50,
  })
  @ValidateIf(isPresentAndNotNull)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  @Matches(/^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/, {
    each: true,
    message: 'each value in allowed_email_domains must be a domain name such as example.com',
  })
  allowed_email_domains?: string[] | null;
}

export function mapSignInPolicy(view: SignInPolicyView): SignInPolicyDto {
  return {
    require_external_sign_in: view.requireExternalSignIn,
    allowed_providers: view.allowedProviders,
    allowed_email_domains: view.allowedEmailDomains,
    available_providers: view.available.map((p) => ({ id: p.id, display_name: p.displayName })),
  };
}
