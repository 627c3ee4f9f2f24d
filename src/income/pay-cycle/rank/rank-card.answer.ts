// The rank card's answer, as the OpenAPI document describes it.
import { ApiProperty } from '@nestjs/swagger';

export class CurrencyVolume {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '840.00' }) volume!: string;
}

export class CurrencyAmount {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'still lacking (0 when reached)', example: '160.00' }) amount!: string;
}

export class RankLacking {
  @ApiProperty({ type: [CurrencyAmount] }) personalVolume!: CurrencyAmount[];
  @ApiProperty({ type: [CurrencyAmount] }) groupVolume!: CurrencyAmount[];
  @ApiProperty({ type: 'integer', example: 0 }) qualifiedLegs!: number;
}

export class NextRank {
  @ApiProperty({ example: 'Director' }) rank!: string;
  @ApiProperty({ type: 'integer', example: 3 }) overrideLevels!: number;
  @ApiProperty({ type: RankLacking, description: 'what the person still lacks for it in the period' })
  lacking!: RankLacking;
}

export class RankCardAnswer {
  @ApiProperty({ example: 'ana' }) personId!: string;
  @ApiProperty({ example: '2025-07' }) period!: string;
  @ApiProperty({ example: '2025-07-01T00:00:00.000Z' }) from!: string;
  @ApiProperty({ example: '2025-08-01T00:00:00.000Z' }) to!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty({ enum: ['projected', 'final'] }) basis!: 'projected' | 'final';
  @ApiProperty({ type: String, nullable: true, description: 'the ledger position the card is as of' })
  position!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the rank reached, null if none', example: 'Manager' })
  rank!: string | null;
  @ApiProperty({ type: 'integer', description: 'override levels the rank pays (0 without one)', example: 2 })
  overrideLevels!: number;
  @ApiProperty({ type: [CurrencyVolume], description: 'own sales and renewals in the period (refunds net)' })
  personalVolume!: CurrencyVolume[];
  @ApiProperty({ type: [CurrencyVolume], description: 'personal volume plus the whole downline' })
  groupVolume!: CurrencyVolume[];
  @ApiProperty({ type: 'integer', description: 'first-level branches holding a qualified rep', example: 2 })
  qualifiedLegs!: number;
  @ApiProperty({ type: NextRank, nullable: true, description: 'null at the top rank' }) next!: NextRank | null;
}
