/*
 * dexf.h - umbrella header for libdexf, the digital evidence exchange
 * container library.  Include this, not the individual headers.
 */
#ifndef DEXF_H
#define DEXF_H

#include "dexf/common.h"
#include "dexf/version.h"
#include "dexf/errors.h"
#include "dexf/writer.h"
#include "dexf/reader.h"
#include "dexf/verify.h"
#include "dexf/chain.h"
#include "dexf/proof.h"

#endif
