// The JSON Schema (draft-07, what the YAML language server understands best) of the staff files.
// It mirrors the loader's rules where JSON Schema can express them; the loader stays the authority
// (files that exist, content under content_root, feed ids, duplicates, time zones).
#include "config/loader.h"

namespace branchcast {

std::string json_schema() {
  return R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://branchcast.example.org/schema/branchcast.schema.json",
  "title": "Branchcast staff files: appliance.yaml, playlists and patrons.yaml",
  "oneOf": [
    {"$ref": "#/definitions/appliance"},
    {"$ref": "#/definitions/playlist"},
    {"$ref": "#/definitions/patrons"}
  ],
  "definitions": {
    "duration": {"type": "string", "pattern": "^[0-9]+(ms|s|m|h|d)$",
                 "description": "A whole number and a unit: 500ms, 10s, 15m, 2h, 7d"},
    "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:MM, 24-hour"},
    "window": {"type": "string",
               "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
               "description": "HH:MM-HH:MM; may cross midnight (22:00-02:00)"},
    "id": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
    "days": {"type": "string",
             "pattern": "^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$",
             "description": "A day or a range of days: mon, mon-fri, fri-mon"},
    "texts": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "notify_url": {"type": "string",
                   "pattern": "^(ntfys?|gotifys?|webhook\\+https?|fcm|mailto|mqtts?)://[^/].*$",
                   "description": "A provider URL (formats.md section 4); ${ENV} allowed for secrets"},
    "file_ref": {"type": "string", "pattern": "^file:.+$"},
    "date_range": {"type": "string",
                   "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2})?$",
                   "description": "YYYY-MM-DD or an inclusive range YYYY-MM-DD..YYYY-MM-DD"},
    "hours": {"oneOf": [{"$ref": "#/definitions/window"}, {"const": "closed"},
                        {"type": "array", "items": {"$ref": "#/definitions/window"}}]},

    "appliance": {
      "type": "object",
      "required": ["branch"],
      "additionalProperties": false,
      "properties": {
        "branch": {
          "type": "object", "required": ["id", "timezone"], "additionalProperties": false,
          "properties": {
            "id": {"$ref": "#/definitions/id"},
            "name": {"type": "string"},
            "timezone": {"type": "string", "description": "IANA zone, e.g. Europe/London"},
            "language": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
                         "examples": ["en", "cy", "de", "es", "fr", "nl"],
                         "description": "BCP 47 tag: the language of patron prompts (default en; a language without wording falls back to English with a warning)"},
            "opening_hours": {
              "type": "object",
              "propertyNames": {"$ref": "#/definitions/days"},
              "additionalProperties": {"$ref": "#/definitions/hours"}
            },
            "closures": {
              "type": "array", "description": "whole days closed, each with a name",
              "items": {
                "type": "object", "required": ["dates", "name"], "additionalProperties": false,
                "properties": {"dates": {"$ref": "#/definitions/date_range"}, "name": {"type": "string"}}
              }
            },
            "special_hours": {
              "type": "array", "description": "a date's opening hours replaced",
              "items": {
                "type": "object", "required": ["dates", "hours"], "additionalProperties": false,
                "properties": {"dates": {"$ref": "#/definitions/date_range"}, "hours": {"$ref": "#/definitions/hours"}}
              }
            },
            "closures_feed": {"$ref": "#/definitions/id",
                              "description": "an ical feed id whose all-day events are closures"}
          }
        },
        "content_root": {"type": "string"},
        "screens": {
          "type": "array",
          "items": {
            "type": "object", "required": ["id", "playlist"], "additionalProperties": false,
            "properties": {
              "id": {"$ref": "#/definitions/id"},
              "output": {"enum": ["auto", "kms", "window", "offscreen"]},
              "resolution": {"type": "string", "pattern": "^[0-9]+x[0-9]+$"},
              "rotation": {"enum": [0, 90, 180, 270]},
              "playlist": {"type": "string"},
              "audience": {"enum": ["everyone", "children", "teen", "adult"],
                           "description": "who the screen faces, for recommendations; everyone (default) is a lobby"},
              "power": {
                "oneOf": [
                  {"type": "object", "required": ["on", "off"], "additionalProperties": false,
                   "description": "fixed daily times; standby all day on days the branch is closed",
                   "properties": {"on": {"$ref": "#/definitions/time"}, "off": {"$ref": "#/definitions/time"}}},
                  {"type": "object", "minProperties": 1, "additionalProperties": false,
                   "description": "standby outside each day's real opening hours, widened by these",
                   "properties": {"before_open": {"$ref": "#/definitions/duration"},
                                  "after_close": {"$ref": "#/definitions/duration"}}}
                ]
              }
            }
          }
        },
        "feeds": {
          "type": "array",
          "items": {
            "type": "object", "required": ["id", "kind", "url"], "additionalProperties": false,
            "properties": {
              "id": {"$ref": "#/definitions/id"},
              "kind": {"enum": ["ical", "rss", "atom", "json-events", "json-catalogue", "json-loans", "jsonfeed"]},
              "url": {"type": "string", "pattern": "^(https?://|file:).+$"},
              "refresh": {"$ref": "#/definitions/duration"},
              "max_bytes": {"type": "integer", "minimum": 1024, "maximum": 4194304}
            }
          }
        },
        "beacon": {
          "type": "object", "additionalProperties": false,
          "properties": {
            "enabled": {"type": "boolean"},
            "ibeacon": {
              "type": "object", "required": ["uuid"], "additionalProperties": false,
              "properties": {
                "uuid": {"type": "string",
                         "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"},
                "major": {"type": "integer", "minimum": 0, "maximum": 65535},
                "minor": {"type": "integer", "minimum": 0, "maximum": 65535},
                "measured_power": {"type": "integer", "minimum": -127, "maximum": 0}
              }
            },
            "eddystone_url": {"type": "string", "pattern": "^https?://.+$"},
            "eddystone_tlm": {"type": "boolean"},
            "interval": {"$ref": "#/definitions/duration"}
          }
        },
        "presence": {
          "type": "object", "additionalProperties": false,
          "properties": {
            "enabled": {"type": "boolean"},
            "rssi_threshold": {"type": "integer", "minimum": -127, "maximum": 0},
            "window": {"$ref": "#/definitions/duration"},
            "report_every": {"$ref": "#/definitions/duration"},
            "min_reported": {"type": "integer", "minimum": 2, "maximum": 1000}
          }
        },
        "notifications": {
          "type": "object", "additionalProperties": false,
          "properties": {
            "provider": {"$ref": "#/definitions/notify_url"},
            "nearby_topic": {"$ref": "#/definitions/notify_url"},
            "quiet_hours": {"$ref": "#/definitions/window"},
            "max_per_patron_per_day": {"type": "integer", "minimum": 0, "maximum": 100},
            "patrons": {"$ref": "#/definitions/file_ref"},
            "vapid": {
              "type": "object", "required": ["private_key", "subject"], "additionalProperties": false,
              "properties": {
                "private_key": {"type": "string", "description": "file:PATH of a PEM P-256 key, or the PEM text"},
                "subject": {"type": "string", "pattern": "^(mailto:|https://).+$"}
              }
            },
            "prompt_ttl": {"$ref": "#/definitions/duration"}
          }
        },
        "telemetry": {
          "type": "object", "additionalProperties": false,
          "properties": {"mqtt": {"type": "string", "pattern": "^mqtts?://.+$"}}
        },
        "health": {
          "type": "object", "additionalProperties": false,
          "properties": {"listen": {"type": "string", "pattern": "^([^:\\[\\]/ ]+|\\[[0-9a-fA-F:.]+\\]):[0-9]{1,5}$"}}
        }
      }
    },

    "item": {
      "type": "object", "additionalProperties": false,
      "oneOf": [{"required": ["image"]}, {"required": ["video"]}, {"required": ["text"]},
                {"required": ["events"]}, {"required": ["recommended"]}, {"required": ["nearby"]}],
      "properties": {
        "image": {"type": "string", "description": "relative to this playlist's folder, under content_root"},
        "video": {"type": "string", "description": "plays its full length unless duration is given"},
        "text": {"type": "string"},
        "events": {
          "type": "object", "required": ["feed"], "additionalProperties": false,
          "properties": {
            "feed": {"$ref": "#/definitions/id"},
            "tags": {"$ref": "#/definitions/texts"},
            "next": {"type": "integer", "minimum": 1, "maximum": 100},
            "within": {"$ref": "#/definitions/duration"}
          }
        },
        "recommended": {
          "type": ["object", "null"], "additionalProperties": false,
          "properties": {
            "count": {"type": "integer", "minimum": 1, "maximum": 50},
            "kinds": {"oneOf": [{"$ref": "#/definitions/kind"},
                                {"type": "array", "items": {"$ref": "#/definitions/kind"}}]}
          }
        },
        "nearby": {"type": ["object", "null", "boolean"], "maxProperties": 0},
        "duration": {"$ref": "#/definitions/duration"},
        "mute": {"type": "boolean"}
      }
    },
    "kind": {"type": "string", "examples": ["book", "event", "dvd", "audiobook", "ebook", "music", "magazine",
                                            "game", "film"]},
    "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/item"}},

    "playlist": {
      "type": "object",
      "required": ["default"],
      "additionalProperties": false,
      "properties": {
        "transition": {
          "type": "object", "required": ["kind"], "additionalProperties": false,
          "properties": {"kind": {"enum": ["crossfade", "cut"]}, "duration": {"$ref": "#/definitions/duration"}}
        },
        "default": {"$ref": "#/definitions/items"},
        "rules": {
          "type": "array",
          "items": {
            "type": "object", "required": ["name", "items"], "additionalProperties": false,
            "properties": {
              "name": {"type": "string", "not": {"const": "default"}},
              "priority": {"type": "integer", "description": "higher wins; default 0"},
              "interrupt": {"type": "boolean"},
              "when": {
                "type": ["object", "null"], "additionalProperties": false,
                "properties": {
                  "days": {"oneOf": [{"$ref": "#/definitions/days"},
                                     {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/days"}}]},
                  "time": {"$ref": "#/definitions/window"},
                  "dates": {"type": "string",
                            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2})?$"},
                  "before_event": {
                    "type": "object", "required": ["feed", "lead"], "additionalProperties": false,
                    "properties": {
                      "feed": {"$ref": "#/definitions/id"},
                      "tags": {"$ref": "#/definitions/texts"},
                      "lead": {"$ref": "#/definitions/duration"}
                    }
                  },
                  "presence": {"enum": ["empty", "some", "busy"]},
                  "open": {"type": "boolean", "description": "the branch is (not) open, by its real hours"},
                  "before_close": {"$ref": "#/definitions/duration",
                                   "description": "the last minutes before today's closing time"},
                  "after_open": {"$ref": "#/definitions/duration",
                                 "description": "the first minutes after today's opening time"}
                }
              },
              "items": {"$ref": "#/definitions/items"}
            }
          }
        }
      }
    },

    "patrons": {
      "type": "array",
      "items": {
        "type": "object", "required": ["id", "key", "epoch", "notify"], "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"},
          "key": {"type": "string", "pattern": "^[0-9a-fA-F]{32}$", "description": "16-byte identity key, hex"},
          "epoch": {"type": "integer", "minimum": 0},
          "rotation": {"type": "integer", "minimum": 0, "maximum": 15},
          "notify": {"oneOf": [{"$ref": "#/definitions/notify_url"}, {"const": "webpush"}]},
          "subscription": {
            "type": "object", "required": ["endpoint", "keys"],
            "properties": {
              "endpoint": {"type": "string", "pattern": "^https://.+$"},
              "keys": {"type": "object", "required": ["p256dh", "auth"],
                       "properties": {"p256dh": {"type": "string"}, "auth": {"type": "string"}}}
            }
          },
          "interests": {
            "type": "object", "additionalProperties": false,
            "properties": {
              "authors": {"$ref": "#/definitions/texts"},
              "subjects": {"$ref": "#/definitions/texts"},
              "ages": {"type": "string"}
            }
          }
        }
      }
    }
  }
})json";
}

}  // namespace branchcast
