/**
 * Bare-string terms of the GS1 EPCIS 2.0 JSON-LD context (ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld,
 * gs1/EPCIS commit 2b888be): for each vocabulary-typed property, the terms its scoped context defines and the IRI
 * prefix they expand to (`term` → `prefix + term`). Used by the event hash to replace e.g. `"bizStep": "shipping"` by
 * `https://ref.gs1.org/cbv/BizStep-shipping`, as JSON-LD expansion does in the reference generator.
 * Generated from the context file; do not edit by hand.
 */
export interface VocabularyTerms {
  readonly iriPrefix: string;
  readonly terms: ReadonlySet<string>;
}

function vocab(iriPrefix: string, terms: string): VocabularyTerms {
  return { iriPrefix, terms: new Set(terms.split(' ')) };
}

const bizStep = vocab(
  'https://ref.gs1.org/cbv/BizStep-',
  'accepting arriving assembling collecting commissioning consigning creating_class_instance ' +
  'cycle_counting decommissioning departing destroying disassembling dispensing encoding ' +
  'entering_exiting holding inspecting installing killing loading other packing picking receiving ' +
  'removing repackaging repairing replacing reserving retail_selling sampling sensor_reporting shipping ' +
  'staging_outbound stock_taking stocking storing transporting unloading unpacking void_shipping',
);
const disposition = vocab(
  'https://ref.gs1.org/cbv/Disp-',
  'active available completeness_verified completeness_inferred conformant container_closed ' +
  'container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit inactive ' +
  'mismatch_instance mismatch_class mismatch_quantity needs_replacement no_pedigree_match ' +
  'non_conformant non_sellable_other partially_dispensed recalled reserved retail_sold returned ' +
  'sellable_accessible sellable_not_accessible stolen unavailable unknown',
);
const sourceDestType = vocab(
  'https://ref.gs1.org/cbv/SDT-',
  'owning_party possessing_party location',
);
const bizTransactionType = vocab(
  'https://ref.gs1.org/cbv/BTT-',
  'bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt',
);
const measurementType = vocab(
  'https://gs1.org/voc/',
  'AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude AmountOfSubstance ' +
  'AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum AngularVelocity Area ' +
  'Capacitance Conductance Conductivity Count Density Dimensionless DoseEquivalent DoseEquivalentRate ' +
  'DynamicViscosity ElectricCharge ElectricCurrent ElectricCurrentDensity ElectricFieldStrength Energy ' +
  'Exposure Force Frequency Illuminance Inductance Irradiance KinematicViscosity Length LinearMomentum ' +
  'Luminance LuminousFlux LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential ' +
  'Mass MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy ' +
  'MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity Resistance ' +
  'Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time Torque ' +
  'Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber',
);
const sensorException = vocab(
  'https://gs1.org/voc/',
  'ALARM_CONDITION ERROR_CONDITION',
);
const component = vocab(
  'https://ref.gs1.org/cbv/Comp-',
  'x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting northing ' +
  'latitude longitude altitude',
);
const errorReason = vocab(
  'https://ref.gs1.org/cbv/ER-',
  'did_not_occur incorrect_data',
);

/** Vocabulary-typed property paths (JSON keys from the event down) → their terms. */
export const EPCIS_VOCABULARY_TERMS: ReadonlyMap<string, VocabularyTerms> = new Map([
  ['bizStep', bizStep],
  ['disposition', disposition],
  ['sourceList/type', sourceDestType],
  ['destinationList/type', sourceDestType],
  ['persistentDisposition/set', disposition],
  ['persistentDisposition/unset', disposition],
  ['bizTransactionList/type', bizTransactionType],
  ['sensorElementList/sensorReport/type', measurementType],
  ['sensorElementList/sensorReport/exception', sensorException],
  ['sensorElementList/sensorReport/component', component],
  ['errorDeclaration/reason', errorReason],
]);
