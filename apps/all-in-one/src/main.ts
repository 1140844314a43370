// `npm start`: API and worker in one process on the embedded default (or on DATABASE_URL/REDIS_URL),
// migrated, and with the demo network seeded on an empty database.
import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfig, databaseMode } from '@pharmatrace/config';
import { runUntilSignal, startRuntime } from '@pharmatrace/runtime';
import { EventPipeline } from '@pharmatrace/ledger';
import { ParticipantsService } from '@pharmatrace/participants';
import { demoGenesis, seedDemoCustody, seedDemoDispensing, seedDemoParticipants } from '@pharmatrace/demo-network';
import { createApi } from '../../api/src/create-api';
import { createWorker } from '../../worker/src/create-worker';

runUntilSignal(async () => {
  const config = loadConfig();
  const runtime = await startRuntime(config, { migrate: true });
  const worker = await createWorker(runtime);
  const api = await createApi(runtime);
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  if (config.seedDemo) {
    const keysDir = join(config.dataDir, 'demo-keys');
    if ((await api.get(ParticipantsService).count()) === 0) await api.get(EventPipeline).submitOne(demoGenesis(keysDir));
    const created = await seedDemoParticipants(url, keysDir);
    const custody = await seedDemoCustody(url, keysDir);
    console.log(`Demo network ready (${created.length} participants added); their key files are in ${keysDir}`);
    if (custody) {
      console.log(`Demo supply chain seeded: batch ${custody.batch}; a pack at a pharmacy: ${custody.pharmacyPack}`);
      console.log(`  the logger on ${custody.excursionShipment} recorded an excursion: the worker quarantines those goods`);
      const rx = await seedDemoDispensing(url, keysDir, custody);
      console.log(`Demo prescriptions seeded: ${rx.insulinPrescription} (patient pseudonym ${rx.patients.insulin}), ${rx.otherPrescription}`);
      console.log(`  Central Square dispensed ${rx.dispensedPack} against the first and undid ${rx.undonePack} (event ${rx.dispenseEvent})`);
      console.log(`  a pen against the metformin prescription was refused: ${rx.refusal.code}: ${rx.refusal.message}`);
    }
  }
  console.log(`PharmaTrace is running on ${databaseMode(config)} PostgreSQL with the ${runtime.queues.mode} queue`);
  console.log(`  GraphQL: ${url}/graphql`);
  console.log(`  Health:  ${url}/health`);
  return async () => {
    await api.close();
    await worker.close();
    await runtime.close();
  };
});
