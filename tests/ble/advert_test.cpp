#include "ble/advert.h"

#include <gtest/gtest.h>

namespace branchcast::ble {
namespace {

Bytes hexb(std::string_view h) { return parse_hex(h).value(); }

std::string decode_json(std::string_view h) {
  auto frames = decode_advert(hexb(h));
  if (!frames) return "error: " + frames.error().message;
  return frames_to_json(frames.value());
}

// Apple's iBeacon layout: flags, then manufacturer data 4C 00 02 15 UUID(16) major minor power.
TEST(AdvertTest, IBeaconKnownAnswer) {
  EXPECT_EQ(decode_json("0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000010002c5"),
            R"({"frames":[{"type":"flags","flags":6},{"type":"ibeacon","uuid":"e2c56db5-dffb-48d2-b060-d0f5a71096e0","major":1,"minor":2,"measured_power":-59}]})");
}

TEST(AdvertTest, IBeaconRoundTrip) {
  IBeaconFrame f;
  f.uuid = {0x2f, 0x23, 0x44, 0x54, 0xcf, 0x6d, 0x4a, 0x0f, 0xad, 0xf2, 0xf4, 0x91, 0x1b, 0xa9, 0xff, 0xa6};
  f.major = 1;
  f.minor = 7;
  f.measured_power = -59;
  auto bytes = encode_ad({encode_flags(0x06), encode_manufacturer(kAppleCompanyId, ibeacon_body(f))});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(hex(*bytes), "0201061aff4c0002152f234454cf6d4a0fadf2f4911ba9ffa600010007c5");
  auto frames = decode_advert(*bytes);
  ASSERT_TRUE(frames.ok());
  ASSERT_EQ(frames->size(), 2u);
  const auto& ib = std::get<IBeaconFrame>((*frames)[1]);
  EXPECT_EQ(ib.uuid, f.uuid);
  EXPECT_EQ(ib.minor, 7);
}

TEST(AdvertTest, AltBeaconKnownAnswer) {
  // AltBeacon spec layout: 1B FF MFG(2, LE) BE AC ID(20) RSSI RESERVED.
  EXPECT_EQ(decode_json("1bff1801beac00112233445566778899aabbccddeeff00112233c500"),
            R"({"frames":[{"type":"altbeacon","company_id":280,"beacon_id":"00112233445566778899aabbccddeeff00112233","reference_rssi":-59,"reserved":0}]})");
}

// Eddystone-UID as the Eddystone spec lays it out: service data FEAA, frame 0x00, tx, NID(10), BID(6), RFU(2).
TEST(AdvertTest, EddystoneUidKnownAnswer) {
  EXPECT_EQ(decode_json("0201060303aafe1716aafe00e7edd5ba2f1fa5fd8a49b7ab0123456789ab0000"),
            R"({"frames":[{"type":"flags","flags":6},{"type":"eddystone-uid","tx_power":-25,"namespace":"edd5ba2f1fa5fd8a49b7","instance":"ab0123456789"}]})");
}

// URL encoding examples: scheme prefixes and expansion codes from the Eddystone-URL spec.
TEST(AdvertTest, EddystoneUrlEncoding) {
  EXPECT_EQ(hex(encode_eddystone_url("https://goo.gl/S6zT6P").value()), "03676f6f2e676c2f53367a543650");
  EXPECT_EQ(hex(encode_eddystone_url("http://www.google.com/").value()), "00676f6f676c6500");
  EXPECT_EQ(hex(encode_eddystone_url("https://www.example.org").value()), "016578616d706c6508");
  EXPECT_EQ(hex(encode_eddystone_url("http://example.info/x").value()), "026578616d706c650478");
  EXPECT_FALSE(encode_eddystone_url("ftp://example.com").ok());
  EXPECT_FALSE(encode_eddystone_url("https://library.example.org/events").ok());  // 22 bytes > 17
  for (const char* url : {"https://goo.gl/S6zT6P", "http://www.google.com/", "https://lib.example.gov/ev",
                          "http://a.biz", "https://www.x.edu/y.net/z"}) {
    auto enc = encode_eddystone_url(url);
    ASSERT_TRUE(enc.ok()) << url;
    EXPECT_EQ(decode_eddystone_url(*enc).value(), url);
  }
}

TEST(AdvertTest, EddystoneUrlFrameFromTheAir) {
  // https://myp.me?A as broadcast by a real Eddystone-URL beacon (tx power 0).
  EXPECT_EQ(decode_json("020106 0303aafe 0e16aafe1000036d79702e6d653f41"),
            R"({"frames":[{"type":"flags","flags":6},{"type":"eddystone-url","tx_power":0,"url":"https://myp.me?A"}]})");
}

TEST(AdvertTest, EddystoneTlmKnownAnswer) {
  // Version 0, 3000 mV, 23.5 C (0x1780 in 8.8), 1000 adverts, 3600.0 s (36000 tenths).
  EXPECT_EQ(decode_json("1116aafe20000bb81780000003e8 00008ca0"),
            R"({"frames":[{"type":"eddystone-tlm","battery_mv":3000,"temperature_c":23.5,"adv_count":1000,"uptime_s":3600}]})");
  EXPECT_EQ(decode_json("1116aafe2000000080000000000100000005"),
            R"({"frames":[{"type":"eddystone-tlm","battery_mv":0,"temperature_c":null,"adv_count":1,"uptime_s":0.5}]})");
  EddystoneTlmFrame f;
  f.battery_mv = 3000;
  f.temperature_c = -1.25;
  f.adv_count = 7;
  f.uptime_tenths = 12345;
  auto frame = decode_eddystone(eddystone_tlm_data(f));
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(std::get<EddystoneTlmFrame>(*frame).temperature_c, -1.25);
}

TEST(AdvertTest, EddystoneEidAndOthers) {
  EXPECT_EQ(decode_json("0d16aafe30f87dd8169dae94258c"),
            R"({"frames":[{"type":"eddystone-eid","tx_power":-8,"eid":"7dd8169dae94258c"}]})");
  EXPECT_EQ(decode_json("0509426f6f6b 04084c6962 05ff2301abcd 0516 9ffe 0102"),
            R"({"frames":[{"type":"name","name":"Book","complete":true},{"type":"name","name":"Lib","complete":false},{"type":"manufacturer","company_id":291,"data":"abcd"},{"type":"service-data","uuid":"0000fe9f-0000-1000-8000-00805f9b34fb","data":"0102"}]})");
}

// Issue 13, finding 11: a name that is not UTF-8 still gives valid UTF-8 JSON (U+FFFD per bad
// byte); valid multi-byte names pass through untouched.
TEST(AdvertTest, NamesThatAreNotUtf8GiveValidJson) {
  EXPECT_EQ(decode_json("0309fffe"), R"({"frames":[{"type":"name","name":"\ufffd\ufffd","complete":true}]})");
  EXPECT_EQ(decode_json("0609c3a9e282ac"), "{\"frames\":[{\"type\":\"name\",\"name\":\"\xc3\xa9\xe2\x82\xac\",\"complete\":true}]}");
  // Truncated sequence, overlong, surrogate, above U+10FFFF.
  EXPECT_EQ(decode_json("0809e282c0aeedbfbf"), R"({"frames":[{"type":"name","name":"\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd","complete":true}]})");
  EXPECT_EQ(decode_json("0509f4908080"), R"({"frames":[{"type":"name","name":"\ufffd\ufffd\ufffd\ufffd","complete":true}]})");
}

TEST(AdvertTest, ZeroLengthEndsSignificantPart) {
  EXPECT_EQ(decode_json("020106000000"), R"({"frames":[{"type":"flags","flags":6}]})");
  EXPECT_EQ(decode_json(""), R"({"frames":[]})");
}

TEST(AdvertTest, MalformedInputNamesTheByteOffset) {
  EXPECT_EQ(decode_json("0201061aff4c00"), "error: byte 3: AD structure length 26 runs past the end of the 7-byte payload");
  EXPECT_EQ(decode_json("020106 05ff4c000215"), "error: byte 7: iBeacon data must be 0x02 0x15 and 21 bytes (got 2 bytes after the company id)");
  EXPECT_EQ(decode_json("020106 0416aafe50"), "error: byte 7: unknown Eddystone frame type 0x50");
  EXPECT_EQ(decode_json("0416aafe10"), "error: byte 4: Eddystone-URL frame must be 3 to 20 bytes (got 1)");
  EXPECT_EQ(decode_json("0716aafe1000037f"), "error: byte 7: reserved Eddystone-URL code 127");
  EXPECT_EQ(decode_json("0216aa"), "error: byte 2: service data shorter than its 2-byte UUID");
  EXPECT_EQ(decode_json("03010606"), "error: byte 0: flags AD structure must hold exactly 1 byte");
  EXPECT_EQ(decode_json("0516aafe2001"), "error: byte 5: Eddystone-TLM version 1 is not supported (only unencrypted version 0)");
  EXPECT_FALSE(decode_advert(Bytes(kMaxAdvertBytes + 1, 0)).ok());
}

TEST(AdvertTest, HexParsing) {
  EXPECT_EQ(hex(parse_hex("0x02:01:06").value()), "020106");
  EXPECT_EQ(parse_hex("0g").error().message, "hex character 1: 'g' is not a hex digit");
  EXPECT_EQ(parse_hex("012").error().message, "odd number of hex digits");
}

}  // namespace
}  // namespace branchcast::ble
