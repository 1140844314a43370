import { Module, OnModuleInit } from '@nestjs/common';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { ParticipantSignerDirectory } from './participant-signer-directory';
import { ParticipantsService } from './participants.service';
import {
  licenceRenewedRule,
  participantRegisteredRule,
  participantReinstatedRule,
  participantSuspendedRule,
} from './rules/participant-lifecycle.rules';
import { keyAddedRule, keyRevokedRule, keyRotatedRule } from './rules/participant-key.rules';

@Module({
  imports: [LedgerModule],
  providers: [ParticipantsService],
  exports: [ParticipantsService],
})
export class ParticipantsModule implements OnModuleInit {
  constructor(private readonly registry: EventRuleRegistry) {}

  onModuleInit(): void {
    this.registry.useSignerDirectory(new ParticipantSignerDirectory());
    this.registry.register(participantRegisteredRule);
    this.registry.register(participantSuspendedRule);
    this.registry.register(participantReinstatedRule);
    this.registry.register(licenceRenewedRule);
    this.registry.register(keyAddedRule);
    this.registry.register(keyRevokedRule);
    this.registry.register(keyRotatedRule);
  }
}
