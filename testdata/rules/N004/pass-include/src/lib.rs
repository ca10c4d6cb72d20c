include!("module.rs");
