/* SPDX-License-Identifier: MPL-2.0 */
/* kommute travel import FILE.csv */
#include "cli.h"
#include "import.h"

static const char HELP[] = "Usage: kommute travel import FILE.csv [options]\n"
                           "\n"
                           "Import travel records (expense claims, logbooks, bookings) into the store in one\n"
                           "transaction: a file with a bad row imports nothing unless --skip-bad-rows.\n"
                           "Re-importing a file does not double-count. Canonical columns (docs/data.md):\n"
                           "  record_id,person,organisation,department,date,start_time,end_time,from_place,\n"
                           "  to_place,from_lon,from_lat,to_lon,to_lat,km,mode,fuel,purpose,meeting_id,cost,\n"
                           "  currency,travel_minutes\n"
                           "modes: fleet_car, private_car, taxi, bus, train, flight, bicycle, walk.\n"
                           "start_time/end_time may be a clock time (08:30) on `date` or a full date-time.\n"
                           "\n"
                           "Options:\n"
                           "  --db FILE             database (default kommute.db)\n"
                           "  --mapping MAP         column mapping file (table,ours,theirs) or built-in name\n"
                           "  --municipality NAME   owner of the rows (default " KMT_DEFAULT_MUNICIPALITY ")\n"
                           "  --skip-bad-rows       import the good rows, list the bad ones on stderr\n"
                           "  --gazetteer FILE      CSV place,lon,lat: coordinates for from_place/to_place\n"
                           "                        names of rows that give none (names matched ignoring case)\n";

static int run(int argc, char **argv)
{
    const char *db = NULL, *mapping = NULL, *muni = NULL, *skip = NULL, *gaz = NULL;
    kmt_opt opts[] = { { "db", 0, 1, &db },
                       { "gazetteer", 0, 1, &gaz },
                       { "mapping", 0, 1, &mapping },
                       { "municipality", 0, 1, &muni },
                       { "skip-bad-rows", 0, 0, &skip },
                       { NULL, 0, 0, NULL } };
    const char *pos[64];
    int np = 0;
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, HELP);
    if (rc) return rc;
    if (np != 1) return kmt_cli_usage(argv[0], "expected one FILE.csv");
    import_opts o = { .app = { .municipality = muni ? muni : KMT_DEFAULT_MUNICIPALITY,
                               .skip_bad_rows = skip != NULL,
                               .gazetteer = gaz },
                      .db = db,
                      .mapping = mapping };
    return kmt__import_file("travel records", pos[0], &o, kmt_app_import_travel);
}

KMT_COMMAND("travel import", "import travel records from CSV", run, HELP)
