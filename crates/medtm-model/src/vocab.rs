//! Every vocabulary of the language, defined once: the words, what each means for the analysis,
//! and what `unknown` is taken to mean (the worst case). The checker, `medtm explain`, editor
//! completion and the README's vocabulary tables are all generated from these definitions.

use serde::Serialize;

/// A word of a vocabulary and what it means for the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WordInfo {
    pub word: &'static str,
    pub meaning: &'static str,
}

/// A vocabulary as data, for checking, explaining and completing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VocabularyInfo {
    /// What the vocabulary is called in messages ("medium").
    pub name: &'static str,
    /// What it is for.
    pub summary: &'static str,
    pub words: &'static [WordInfo],
    /// The word `unknown` stands for: the worst case for the analysis.
    pub unknown_means: &'static str,
}

impl VocabularyInfo {
    pub fn contains(&self, word: &str) -> bool {
        word == UNKNOWN || self.words.iter().any(|info| info.word == word)
    }

    pub fn meaning(&self, word: &str) -> Option<&'static str> {
        self.words.iter().find(|info| info.word == word).map(|info| info.meaning)
    }

    /// The vocabulary's name with "a" or "an" ("a medium", "an operating system").
    pub fn with_article(&self) -> String {
        let article = if self.name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {}", self.name)
    }

    /// The words as a comma-separated list for messages.
    pub fn list(&self) -> String {
        self.words.iter().map(|info| info.word).collect::<Vec<_>>().join(", ")
    }
}

/// The word every vocabulary accepts for "not known yet".
pub const UNKNOWN: &str = "unknown";

/// A closed set of words with a Rust enum behind it.
pub trait Vocabulary: Copy + Eq + Ord + std::fmt::Debug + 'static {
    const INFO: &'static VocabularyInfo;
    /// What `unknown` is taken to mean.
    const WORST: Self;
    fn from_word(word: &str) -> Option<Self>;
    fn as_str(self) -> &'static str;
}

macro_rules! vocabulary {
    ($(
        $(#[doc = $summary:literal])+
        $name:ident $label:literal, unknown = $worst:ident {
            $($variant:ident = $word:literal: $meaning:literal,)+
        }
    )*) => {$(
        $(#[doc = $summary])+
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(#[doc = $meaning] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word as written in models.
            pub const fn word(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }

        impl Vocabulary for $name {
            const INFO: &'static VocabularyInfo = &VocabularyInfo {
                name: $label,
                summary: concat!($($summary),+),
                words: &[$(WordInfo { word: $word, meaning: $meaning },)+],
                unknown_means: $name::$worst.word(),
            };
            const WORST: Self = $name::$worst;

            fn from_word(word: &str) -> Option<Self> {
                match word {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }

            fn as_str(self) -> &'static str {
                self.word()
            }
        }

        impl crate::model::Shown for $name {
            fn shown(&self) -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(self.word())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

vocabulary! {
    /// What the system does for patients.
    SystemFunction "system function", unknown = LifeSustaining {
        Diagnostic = "diagnostic": "Produces results clinicians diagnose from; a falsified result can lead to the wrong treatment.",
        Monitoring = "monitoring": "Watches the patient and raises alarms; a silenced or forged reading delays care.",
        Therapeutic = "therapeutic": "Delivers therapy (drugs, energy, stimulation); a forged command can injure directly.",
        LifeSustaining = "life_sustaining": "Keeps the patient alive (ventilation, pacing, dialysis); loss of function can be fatal.",
        Imaging = "imaging": "Acquires or stores medical images; tampering or loss affects diagnosis for many patients.",
        HealthIt = "health_it": "Clinical software and records (EHR, PACS, interfaces); harm comes through data and workflow.",
    }

    /// Where the system is used, which sets who can be near it.
    Environment "environment", unknown = Home {
        Hospital = "hospital": "Used in a healthcare facility whose network the hospital (HDO) operates.",
        Home = "home": "Used by patients at home, on networks and phones nobody manages.",
        Ambulatory = "ambulatory": "Carried by the patient everywhere, within radio range of strangers.",
        Cloud = "cloud": "Runs as a service on the internet.",
    }

    /// What kind of information or command an asset is; sets which of C, I and A matter.
    AssetKind "asset kind", unknown = Therapy {
        Phi = "phi": "Protected health information: confidentiality matters, scaled by `patients`.",
        Pii = "pii": "Personally identifiable information: confidentiality matters, scaled by `patients`.",
        Therapy = "therapy": "A therapy command or setting (bolus, rate, shock): integrity and availability are safety-critical.",
        Monitoring = "monitoring": "Physiological readings: forged or lost values mislead care.",
        Diagnostic = "diagnostic": "Diagnostic results or images: falsified values lead to wrong decisions.",
        Alarm = "alarm": "An alarm or alert: suppressing or delaying it delays care.",
        Credential = "credential": "A password, token or secret: confidentiality matters; a leak gives access.",
        CryptoKey = "crypto_key": "A cryptographic key: confidentiality matters; a leaked key breaks what it protects.",
        Firmware = "firmware": "Code that runs on a device: integrity is everything; forged firmware owns the device.",
        Config = "config": "Configuration or a drug library: forged settings change what the device does.",
        AuditLog = "audit_log": "Security or clinical event logs: integrity and availability make actions traceable.",
    }

    /// ISO 14971 severity of the harm to a patient if the asset is forged, lost or withheld.
    Harm "harm", unknown = Catastrophic {
        Negligible = "negligible": "Inconvenience or temporary discomfort.",
        Minor = "minor": "Temporary injury or impairment not requiring professional medical intervention.",
        Serious = "serious": "Injury or impairment requiring professional medical intervention.",
        Critical = "critical": "Permanent impairment or life-threatening injury.",
        Catastrophic = "catastrophic": "Patient death.",
    }

    /// The part an actor plays.
    ActorRole "actor role", unknown = Attacker {
        Patient = "patient": "The person the device treats or monitors.",
        Caregiver = "caregiver": "A family member or follower who sees data or acts for the patient.",
        Clinician = "clinician": "A physician prescribing or adjusting therapy.",
        Nurse = "nurse": "A nurse operating devices at the bedside.",
        Pharmacist = "pharmacist": "Maintains drug libraries and orders.",
        ServiceTech = "service_tech": "Biomedical or field service technician with service access.",
        HdoAdmin = "hdo_admin": "Hospital IT administrator.",
        VendorSupport = "vendor_support": "The manufacturer's support staff with remote access.",
        Attacker = "attacker": "A hostile party, an entry point for attack paths wherever it is placed.",
    }

    /// How an actor proves who they are.
    ActorAuth "actor authentication", unknown = None {
        None = "none": "Anyone who reaches the interface can act as this actor.",
        Password = "password": "Something the actor knows; guessable and phishable.",
        Mfa = "mfa": "More than one factor.",
        Smartcard = "smartcard": "A card or token the actor holds.",
        Biometric = "biometric": "A fingerprint or face unlock, usually on the actor's own phone.",
    }

    /// What a trust boundary is; network kinds are hostile by default.
    BoundaryKind "boundary kind", unknown = Internet {
        Enclosure = "enclosure": "A device's own casing or the patient's body: reachable by radio and by holding the device.",
        PatientHome = "patient_home": "The patient's home network: hostile by default, nobody manages it.",
        HospitalNetwork = "hospital_network": "The hospital's general network: hostile by default (assume the attacker is on it).",
        ClinicalVlan = "clinical_vlan": "A segmented clinical network: hostile by default; segmentation helps but does not authenticate.",
        Internet = "internet": "The public internet: hostile.",
        CloudTenant = "cloud_tenant": "The manufacturer's cloud account: trusted, reachable only through its interfaces.",
        MobileSandbox = "mobile_sandbox": "An app sandbox on a phone: trusted, but the phone's other apps and owner are not.",
        VendorNetwork = "vendor_network": "The manufacturer's corporate or service network: hostile by default from the device's view.",
        ThirdParty = "third_party": "Systems run by someone else (an EHR vendor, a carrier): hostile by default.",
    }

    /// What a component is.
    ComponentKind "component kind", unknown = Controller {
        Implant = "implant": "An implanted device (pacemaker, ICD, neurostimulator).",
        Wearable = "wearable": "A device worn on the body (patch pump, CGM, wearable monitor).",
        Bedside = "bedside": "A device at the bedside (infusion pump, monitor, ventilator).",
        Controller = "controller": "A device that commands another (a programmer, a handheld controller).",
        Workstation = "workstation": "A general-purpose computer used by staff.",
        MobileApp = "mobile_app": "An app on a phone or tablet.",
        CloudService = "cloud_service": "A service in the cloud.",
        OnpremServer = "onprem_server": "A server in the hospital's data centre.",
        Gateway = "gateway": "A bridge between networks or protocols (home hub, interface engine, VPN).",
        UpdateServer = "update_server": "Distributes software or firmware updates.",
        SigningService = "signing_service": "Holds keys and signs code or data.",
        ServiceTool = "service_tool": "A maintenance or service tool.",
        Ehr = "ehr": "An electronic health record system.",
        Pacs = "pacs": "A picture archiving and communication system.",
        Modality = "modality": "An imaging modality (CT, MR, ultrasound, X-ray).",
    }

    /// The operating system a component runs.
    Os "operating system", unknown = Windows {
        None = "none": "Bare-metal firmware without an operating system.",
        Rtos = "rtos": "A real-time operating system.",
        EmbeddedLinux = "embedded_linux": "Embedded Linux.",
        Linux = "linux": "A general-purpose Linux distribution.",
        Windows = "windows": "Windows: the usual target of ransomware; expects anti-malware and patching.",
        Android = "android": "Android.",
        Ios = "ios": "iOS or iPadOS.",
    }

    /// What a component does for patients; safety functions raise the stakes of attacks on it.
    Function "function", unknown = TherapyDelivery {
        TherapyDelivery = "therapy_delivery": "Delivers therapy: a safety function.",
        Diagnosis = "diagnosis": "Produces diagnostic results: a safety function.",
        Monitoring = "monitoring": "Monitors the patient: a safety function.",
        Alarm = "alarm": "Raises or relays alarms: a safety function.",
        Imaging = "imaging": "Acquires or shows images: a safety function.",
        Workflow = "workflow": "Supports clinical workflow without acting on the patient.",
    }

    /// A debug or service port of a component.
    DebugPort "debug port", unknown = Jtag {
        Jtag = "jtag": "JTAG boundary scan and debug.",
        Swd = "swd": "Serial Wire Debug.",
        Uart = "uart": "A serial console.",
        UsbService = "usb_service": "A USB service interface.",
        UsbHost = "usb_host": "A USB host port that accepts devices and media.",
    }

    /// The state of a debug port on production units.
    PortState "port state", unknown = Open {
        Removed = "removed": "Not present on production units.",
        Locked = "locked": "Present but permanently disabled (fuses, readout protection).",
        Authenticated = "authenticated": "Usable only after cryptographic authentication.",
        Open = "open": "Usable by anyone holding the device.",
    }

    /// Where a component's security events go.
    Logging "logging", unknown = None {
        None = "none": "No security logging: attacks go unnoticed.",
        Local = "local": "Logs kept on the device only: lost with it, rarely read.",
        OffDevice = "off_device": "Logs sent to a system that keeps and reviews them.",
    }

    /// The physical or logical medium of a flow; sets the CVSS attack vector.
    Medium "medium", unknown = Internet {
        Ble = "ble": "Bluetooth Low Energy with legacy pairing (attack vector Adjacent, within radio range).",
        BleLesc = "ble_lesc": "Bluetooth LE Secure Connections (attack vector Adjacent).",
        BtClassic = "bt_classic": "Bluetooth Classic (attack vector Adjacent).",
        Nfc = "nfc": "Near-field communication, range of centimetres (attack vector Local).",
        Inductive = "inductive": "Inductive telemetry of implants, range of centimetres (attack vector Local).",
        Contact = "contact": "Read only from what touches or is plugged into the device, such as an instrument's RFID tag in its port or a smart card (attack vector Physical).",
        ProprietaryRf = "proprietary_rf": "A proprietary radio such as MICS (attack vector Adjacent).",
        Wifi = "wifi": "Wi-Fi (attack vector Network: IP-based).",
        Ethernet = "ethernet": "Wired Ethernet (attack vector Network: IP-based).",
        Network = "network": "An IP network of any kind (attack vector Network).",
        Cellular = "cellular": "A cellular data link (attack vector Network).",
        Internet = "internet": "The public internet (attack vector Network).",
        Usb = "usb": "A USB cable (attack vector Physical).",
        Serial = "serial": "A serial cable (attack vector Physical).",
        RemovableMedia = "removable_media": "A USB stick, SD card or disc (attack vector Physical).",
        Ui = "ui": "The device's own user interface (attack vector Physical).",
        Ipc = "ipc": "Inter-process communication inside one device (attack vector Local).",
    }

    /// The application protocol of a flow.
    Protocol "protocol", unknown = Proprietary {
        Https = "https": "HTTP over TLS.",
        Http = "http": "Cleartext HTTP.",
        Mqtt = "mqtt": "MQTT publish/subscribe messaging.",
        Dicom = "dicom": "DICOM without TLS: cleartext images and patient data.",
        DicomTls = "dicom_tls": "DICOM over TLS.",
        Hl7v2Mllp = "hl7v2_mllp": "HL7 v2 over MLLP: cleartext, unauthenticated clinical messages.",
        Fhir = "fhir": "HL7 FHIR over HTTP(S).",
        Smb = "smb": "Windows file sharing.",
        Rdp = "rdp": "Remote Desktop.",
        Ssh = "ssh": "Secure Shell.",
        Telnet = "telnet": "Telnet: cleartext remote shell.",
        Ftp = "ftp": "FTP: cleartext file transfer, often with built-in or anonymous logins.",
        Sftp = "sftp": "File transfer over SSH.",
        Vnc = "vnc": "VNC remote desktop: screen, keyboard and mouse of the host.",
        Snmp = "snmp": "SNMP device management (v1 and v2c authenticate with a community string sent in clear).",
        Upnp = "upnp": "UPnP discovery and control of devices on the local network, without authentication.",
        Smtp = "smtp": "E-mail transfer.",
        Dns = "dns": "Name resolution.",
        Ntp = "ntp": "Time synchronisation.",
        Dhcp = "dhcp": "Address assignment.",
        Ldap = "ldap": "Directory access.",
        Kerberos = "kerberos": "Kerberos authentication.",
        Proprietary = "proprietary": "A manufacturer's own protocol: assume its parser has never been fuzzed.",
    }

    /// How the receiver of a flow authenticates the sender; sets CVSS privileges required.
    Authn "authentication scheme", unknown = None {
        None = "none": "No authentication: anyone who can send is believed (privileges required: None).",
        Implicit = "implicit": "Trusted because of where it comes from (a cable, a pairing, the same host): no proof (None).",
        Password = "password": "A password (privileges required: Low; None when it is a shared, default or hard-coded credential).",
        Mfa = "mfa": "Multi-factor authentication of a person (privileges required: High).",
        Smartcard = "smartcard": "A smartcard or hardware token (privileges required: High).",
        SharedSecret = "shared_secret": "A secret shared by both ends, often the same on every unit: whoever has read it out of one holds it (privileges required: None).",
        FleetKey = "fleet_key": "One key for the whole fleet: extracting it from one unit opens all (privileges required: None).",
        PerDeviceKey = "per_device_key": "A key unique to each device (privileges required: High).",
        Token = "token": "A bearer token such as OAuth (privileges required: Low).",
        Mtls = "mtls": "Mutual TLS with per-device certificates (privileges required: High).",
        Certificate = "certificate": "A certificate the receiver validates, such as a TLS server certificate checked by the client (privileges required: High).",
    }

    /// How a flow is encrypted.
    Encryption "encryption mode", unknown = None {
        None = "none": "Cleartext.",
        Link = "link": "Encrypted by the link layer (BLE pairing, Wi-Fi WPA2): only as strong as the pairing.",
        Tls1_2 = "tls1_2": "TLS 1.2.",
        Tls1_3 = "tls1_3": "TLS 1.3.",
        Message = "message": "Each message encrypted end to end.",
    }

    /// How a flow's integrity is protected.
    Integrity "integrity protection", unknown = None {
        None = "none": "No integrity check.",
        Crc = "crc": "A checksum: catches noise, not attackers.",
        Hash = "hash": "An unkeyed hash: catches accidents, not attackers who recompute it.",
        Mac = "mac": "A keyed message authentication code.",
        Signature = "signature": "A digital signature.",
    }

    /// How a flow rejects replayed messages.
    Replay "replay protection", unknown = None {
        None = "none": "A recorded message can be sent again and is accepted.",
        Nonce = "nonce": "A fresh challenge per exchange.",
        Counter = "counter": "A monotonic message counter.",
        Timestamp = "timestamp": "A timestamp checked against a clock.",
    }

    /// How a credential or key is set on the units or servers that hold it.
    Provisioning "provisioning", unknown = Hardcoded {
        Unique = "unique": "Set for each unit or user, and changeable: one leak opens one.",
        Shared = "shared": "The same secret on many units or servers: one leak opens them all.",
        Default = "default": "A factory default that is rarely changed: anyone with the manual knows it.",
        Hardcoded = "hardcoded": "Fixed in the code or firmware, the same on every unit and impossible to change.",
    }

    /// Who holds a component over its life, which sets who can take what it stores.
    Custody "custody", unknown = Leaves {
        Operator = "operator": "Stays with the hospital or the manufacturer for life and is wiped or destroyed at its end.",
        Patient = "patient": "In a patient's hands or home: anyone can obtain a unit.",
        Leaves = "leaves": "Leaves the operator's custody during its life: returned, serviced, resold or disposed of with its data.",
    }

    /// Whether a software component still receives security fixes.
    Support "support", unknown = Abandoned {
        Maintained = "maintained": "Receives security fixes.",
        Unmaintained = "unmaintained": "No longer receives fixes from its supplier.",
        Abandoned = "abandoned": "Dead: no supplier, no fixes, known vulnerabilities stay.",
    }

    /// FDA's eight categories of security controls.
    ControlCategory "control category", unknown = Authentication {
        Authentication = "authentication": "Proves who or what is on the other end.",
        Authorization = "authorization": "Limits what an authenticated party may do.",
        Cryptography = "cryptography": "Keys, algorithms and their management.",
        Integrity = "integrity": "Detects or prevents tampering with code, data and commands (including code execution integrity).",
        Confidentiality = "confidentiality": "Keeps data from those who should not read it.",
        Logging = "logging": "Records and detects security events.",
        Resiliency = "resiliency": "Keeps essential functions running under attack, and recovers.",
        Updatability = "updatability": "Delivers fixes to devices in the field, timely and safely.",
    }

    /// Whether a control is in place.
    ControlStatus "control status", unknown = Planned {
        Implemented = "implemented": "In place and verified: lowers residual risk.",
        Partial = "partial": "Partly in place: lowers residual risk, but the finding stays partially mitigated.",
        Planned = "planned": "Not in place yet: listed, lowers nothing.",
    }

    /// Who a transferred risk goes to.
    Party "party", unknown = Hdo {
        Hdo = "hdo": "The healthcare delivery organisation (hospital), through labeling and IFU.",
        Patient = "patient": "The patient, through labeling.",
        Supplier = "supplier": "A supplier, by contract.",
        ThirdParty = "third_party": "Another party, by agreement.",
    }

    /// A risk acceptance level.
    RiskLevel "risk level", unknown = Unacceptable {
        Acceptable = "acceptable": "Acceptable without further action.",
        Review = "review": "Reduce as far as possible, or justify and accept with a documented benefit.",
        Unacceptable = "unacceptable": "Must be reduced before release.",
    }

    /// How easy an attack is, banded from its CVSS exploitability.
    Exploitability "exploitability", unknown = High {
        High = "high": "Remote or nearby, without credentials or user interaction.",
        Medium = "medium": "Needs nearness, some privileges or a user's action.",
        Low = "low": "Needs physical access, strong credentials or several conditions at once.",
    }
}

impl Harm {
    /// Whether harm at this level is a safety concern (serious or worse) in CVSS v4.0's sense.
    pub fn is_safety(self) -> bool {
        self >= Harm::Serious
    }
}

impl Function {
    /// Functions that act on the patient; attacks on them are safety relevant.
    pub fn is_safety(self) -> bool {
        self != Function::Workflow
    }
}

impl AssetKind {
    /// Kinds that make a flow's sender able to act on its receiver: commands, configuration and
    /// code. What a sender pushes to more than one unit of them is a fleet push.
    pub const ACTS_ON_RECEIVER: &[AssetKind] =
        &[AssetKind::Therapy, AssetKind::Alarm, AssetKind::Config, AssetKind::Firmware];
}

impl BoundaryKind {
    /// Network kinds are hostile unless the model says otherwise (FDA: assume the attacker is on
    /// the network).
    pub fn hostile_by_default(self) -> bool {
        matches!(
            self,
            BoundaryKind::PatientHome
                | BoundaryKind::HospitalNetwork
                | BoundaryKind::ClinicalVlan
                | BoundaryKind::Internet
                | BoundaryKind::VendorNetwork
                | BoundaryKind::ThirdParty
        )
    }
}

/// Every vocabulary, for `medtm explain` and the README tables.
pub const ALL_VOCABULARIES: &[&VocabularyInfo] = &[
    SystemFunction::INFO,
    Environment::INFO,
    AssetKind::INFO,
    Harm::INFO,
    ActorRole::INFO,
    ActorAuth::INFO,
    BoundaryKind::INFO,
    ComponentKind::INFO,
    Os::INFO,
    Function::INFO,
    DebugPort::INFO,
    PortState::INFO,
    Logging::INFO,
    Medium::INFO,
    Protocol::INFO,
    Authn::INFO,
    Encryption::INFO,
    Integrity::INFO,
    Replay::INFO,
    Provisioning::INFO,
    Custody::INFO,
    Support::INFO,
    ControlCategory::INFO,
    ControlStatus::INFO,
    Party::INFO,
    RiskLevel::INFO,
    Exploitability::INFO,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_round_trips_and_has_meanings() {
        fn check<T: Vocabulary>() {
            for info in T::INFO.words {
                let value = T::from_word(info.word).expect("word parses");
                assert_eq!(value.as_str(), info.word);
                assert!(info.meaning.ends_with('.') || info.meaning.ends_with(')'), "{}: {}", info.word, info.meaning);
                assert_ne!(info.word, UNKNOWN, "`unknown` is implicit in every vocabulary");
            }
            assert!(T::INFO.contains(T::WORST.as_str()));
        }
        check::<SystemFunction>();
        check::<AssetKind>();
        check::<Medium>();
        check::<Authn>();
        check::<RiskLevel>();
        for vocabulary in ALL_VOCABULARIES {
            for info in vocabulary.words {
                assert!(info.meaning.ends_with('.') || info.meaning.ends_with(')'), "{}: {}", info.word, info.meaning);
            }
        }
        let mut names: Vec<_> = ALL_VOCABULARIES.iter().map(|v| v.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL_VOCABULARIES.len(), "vocabulary names are unique");
    }
}
