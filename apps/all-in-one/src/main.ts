// `npm start`: API and worker in one process on the embedded default (or on DATABASE_URL/REDIS_URL),
// migrated, and with the demo network seeded on an empty database.
import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfig, databaseMode } from '@pharmatrace/config';
import { runUntilSignal, startRuntime } from '@pharmatrace/runtime';
import { EventPipeline } from '@pharmatrace/ledger';
import { ParticipantsService } from '@pharmatrace/participants';
import { PharmaTraceApiError } from '@pharmatrace/sdk';
import { isoToGs1Date } from '@pharmatrace/gs1';
import {
  demoGenesis, demoPackLinks, demoPacksToShow, terminalQr, seedDemoVerification, DEMO_GTIN, DEMO_LOT, DEMO_WEBHOOK_PARTICIPANT, DemoWebhookReceiver, registerDemoWebhook, seedDemoCustody, seedDemoDispensing, seedDemoParticipants, seedDemoRecall,
  startDemoWebhookReceiver,
} from '@pharmatrace/demo-network';
import { createApi } from '../../api/src/create-api';
import { createWorker } from '../../worker/src/create-worker';

runUntilSignal(async () => {
  const config = loadConfig();
  const runtime = await startRuntime(config, { migrate: true });
  const worker = await createWorker(runtime);
  const api = await createApi(runtime);
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  let receiver: DemoWebhookReceiver | null = null;
  if (config.seedDemo) {
    const keysDir = join(config.dataDir, 'demo-keys');
    if ((await api.get(ParticipantsService).count()) === 0) await api.get(EventPipeline).submitOne(demoGenesis(keysDir));
    const created = await seedDemoParticipants(url, keysDir);
    const custody = await seedDemoCustody(url, keysDir);
    console.log(`Demo network ready (${created.length} participants added); their key files are in ${keysDir}`);
    // Central Square's own system, listening for recall webhooks (re-registered on every start: its port changes).
    receiver = await startDemoWebhookReceiver(url, (m) =>
      console.log(`  ${DEMO_WEBHOOK_PARTICIPANT}'s webhook received ${m.payload.type} ${m.payload.data.recall} (revision ${m.payload.data.revision}); signature verified with the ledger key`),
    );
    try {
      await registerDemoWebhook(url, keysDir, receiver.url);
    } catch (e) {
      // Outside the embedded default, webhooks to loopback addresses are refused unless allowed.
      if (!(e instanceof PharmaTraceApiError) || e.code !== 'WEBHOOK_URL_INVALID') throw e;
      console.log(`  the demo webhook receiver is not registered (${e.message}); set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to use it`);
    }
    if (custody) {
      console.log(`Demo supply chain seeded: batch ${custody.batch}; a pack at a pharmacy: ${custody.pharmacyPack}`);
      console.log(`  the logger on ${custody.excursionShipment} recorded an excursion: the worker quarantines those goods`);
      const rx = await seedDemoDispensing(url, keysDir, custody);
      console.log(`Demo prescriptions seeded: ${rx.insulinPrescription} (patient pseudonym ${rx.patients.insulin}), ${rx.otherPrescription}`);
      console.log(`  Central Square dispensed ${rx.dispensedPack} against the first and undid ${rx.undonePack} (event ${rx.dispenseEvent})`);
      console.log(`  a pen against the metformin prescription was refused: ${rx.refusal.code}: ${rx.refusal.message}`);
      const recall = await seedDemoRecall(url, keysDir);
      console.log(`Demo recall seeded: the regulator recalled ${recall.batch} (${recall.recall}); every holder is notified through the queue`);
      console.log(`  ${DEMO_WEBHOOK_PARTICIPANT} ${recall.acknowledged ? 'acknowledged it and ' : ''}returned case ${recall.returnedCase} to Helix, which destroyed it`);
      const links = demoPackLinks(config.publicBaseUrl, keysDir, demoPacksToShow(custody, rx, recall));
      const verification = await seedDemoVerification(url, keysDir, custody);
      console.log(`Demo verification seeded: Helix signed and registered ${verification.labelsRegistered} pack labels (label images: ${url}/labels/01/<GTIN>/21/<serial>.png, for Helix only)`);
      const vrs = verification.vrs.answer.data;
      console.log(`  Northline asked the DSCSA verification responder about ${verification.vrs.serial}: verified ${vrs.verified}${vrs.verificationFailureReason ? ` (${vrs.verificationFailureReason})` : ''}`);
      console.log(`    try it: curl -H 'Authorization: Bearer ${verification.vrs.token}' '${url}/verify/gtin/${DEMO_GTIN}/lot/${DEMO_LOT}/ser/${verification.vrs.serial}?exp=${isoToGs1Date(custody.expiresOn)}&linkType=verificationService'`);
      if (verification.alert) console.log(`  a falsified pen's code was scanned: alert ${verification.alert.id} (${verification.alert.kind}) is ${verification.alert.status.replace('_', ' ')} by the regulator`);
      console.log('Scan a pack: open these links on a phone (or scan the QR code) to see what a patient sees');
      for (const [i, pack] of links.entries()) {
        console.log(`  ${pack.label}:\n    ${pack.link}`);
        console.log(await terminalQr(pack.link));
      }
    }
  }
  console.log(`PharmaTrace is running on ${databaseMode(config)} PostgreSQL with the ${runtime.queues.mode} queue`);
  console.log(`  GraphQL: ${url}/graphql`);
  console.log(`  Health:  ${url}/health`);
  return async () => {
    await receiver?.close();
    await api.close();
    await worker.close();
    await runtime.close();
  };
});
