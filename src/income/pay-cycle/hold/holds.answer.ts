// The answer of GET /people/{personId}/holds, described for the OpenAPI document.
import { ApiProperty } from '@nestjs/swagger';

export class HoldLift {
  @ApiProperty({ enum: ['release', 'forfeit'], description: 'release: paid at the next close; forfeit: forfeited' })
  readonly outcome!: 'release' | 'forfeit';
  @ApiProperty()
  readonly reason!: string;
  @ApiProperty({ description: 'The key that lifted it' })
  readonly operator!: string;
  @ApiProperty({ format: 'date-time' })
  readonly liftedAt!: string;
}

export class PersonHold {
  @ApiProperty({ example: 'H-1' })
  readonly holdId!: string;
  @ApiProperty()
  readonly reason!: string;
  @ApiProperty({ description: 'The key that set it' })
  readonly operator!: string;
  @ApiProperty({ format: 'date-time' })
  readonly setAt!: string;
  @ApiProperty({ description: 'The position of its HoldSet event' })
  readonly position!: string;
  @ApiProperty({ type: HoldLift, nullable: true, description: 'How it was lifted; null while it stands' })
  readonly lifted!: HoldLift | null;
}

export class PersonHoldsAnswer {
  @ApiProperty({ example: 'ana' })
  readonly personId!: string;
  @ApiProperty({ type: [PersonHold], description: 'Every hold set on the person, in the order they were set' })
  readonly holds!: PersonHold[];
}
