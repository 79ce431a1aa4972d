// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The helpers of common/vmc_common.h that need no device (HMC framing, message
 * patterns, errno names), on the kernel's kselftest_harness.h: each TEST() runs in its
 * own child, the output is TAP. Runs on the host or in the VM (the session plans run it
 * first, before the module is loaded):
 *
 *   vmc_helpers         exit 0 if every test passed
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <kselftest_harness.h>

static const unsigned char data8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

TEST(request_layout)
{
	unsigned char req[64];
	size_t len = hmc_build(req, HMC_OP_ECHO, 0x01020304, data8, sizeof(data8));

	ASSERT_EQ(40u, len);
	EXPECT_TRUE(hmc_is_framed(req, len));
	EXPECT_FALSE(hmc_is_framed(req, HMC_HDR_LEN - 1));
	EXPECT_EQ(0xDE, req[0]);
	EXPECT_EQ(0xCA, req[1]);
	EXPECT_EQ(0xFF, req[2]);
	EXPECT_EQ(HMC_HDR_LEN, req[3]);
	EXPECT_EQ(40u, get_be32(req + 4));
	EXPECT_EQ(0x01020304u, get_be32(req + 8));
	/* The target big-endian, byte by byte. */
	EXPECT_EQ(0x80, req[12]);
	EXPECT_EQ(0x00, req[13]);
	EXPECT_EQ(HMC_FLAG_RESPONSE_EXPECTED, req[15]);
	EXPECT_EQ(8u, get_be32(req + 16));
	EXPECT_EQ(0x01, req[20]);
	EXPECT_EQ(0x03, req[21]);
	EXPECT_EQ(0, get_be16(req + 22));
	EXPECT_EQ(0, memcmp(req + HMC_HDR_LEN, data8, sizeof(data8)));
}

/* The answer a command router makes to req (len bytes): the same with the response flag. */
static void answer(unsigned char *resp, const unsigned char *req, size_t len)
{
	memcpy(resp, req, len);
	resp[15] = HMC_FLAG_RESPONSE;
}

TEST(good_echo_response_passes)
{
	unsigned char req[64], resp[64];
	size_t len = hmc_build(req, HMC_OP_ECHO, 7, data8, sizeof(data8));

	answer(resp, req, len);
	EXPECT_EQ(NULL, hmc_check_response(req, resp, len, data8, sizeof(data8)));
}

TEST(each_damage_is_caught)
{
	unsigned char req[64], resp[64];
	size_t len = hmc_build(req, HMC_OP_ECHO, 7, data8, sizeof(data8));

	EXPECT_NE(NULL, hmc_check_response(req, req, len, data8, sizeof(data8)))
		TH_LOG("a request is no response");
	answer(resp, req, len);
	resp[23] = 0x01;
	EXPECT_STREQ("return code 0x0001",
		     hmc_check_response(req, resp, len, data8, sizeof(data8)));
	resp[23] = 0;
	resp[9] ^= 1;
	EXPECT_STREQ("correlation token changed",
		     hmc_check_response(req, resp, len, data8, sizeof(data8)));
	resp[9] ^= 1;
	resp[39] ^= 1;
	EXPECT_STREQ("data differs", hmc_check_response(req, resp, len, data8, sizeof(data8)));
	resp[39] ^= 1;
	EXPECT_STREQ("total length field != message length",
		     hmc_check_response(req, resp, len - 1, data8, sizeof(data8)));
	EXPECT_EQ(NULL, hmc_check_response(req, resp, len, data8, sizeof(data8)));
}

TEST(exchange_ops_response)
{
	unsigned char req[64], resp[64];
	size_t len = hmc_build(req, HMC_OP_EXCHANGE_OPS, 7, NULL, 0);

	ASSERT_EQ((size_t)HMC_HDR_LEN, len);
	EXPECT_EQ(0u, get_be32(req + 16));
	memcpy(resp, req, HMC_HDR_LEN);
	resp[15] = HMC_FLAG_RESPONSE;
	put_be32(resp + 4, 36);
	put_be32(resp + 16, 4);
	memcpy(resp + HMC_HDR_LEN, hmc_exchange_ops_data, 4);
	EXPECT_EQ(NULL, hmc_check_response(req, resp, 36, hmc_exchange_ops_data, 4));
	EXPECT_NE(NULL, hmc_check_response(req, resp, 36, NULL, 0));
}

TEST(patterns_are_never_framed)
{
	unsigned char buf[64];
	uint32_t seed;

	for (seed = 0; seed < 2000; seed++) {
		pattern_fill(buf, sizeof(buf), seed);
		ASSERT_FALSE(hmc_is_framed(buf, sizeof(buf))) TH_LOG("seed %u", seed);
		ASSERT_NE(0xDE, buf[0]) TH_LOG("seed %u", seed);
	}
}

TEST(pattern_check_finds_the_byte)
{
	static unsigned char buf[4096];

	pattern_fill(buf, sizeof(buf), 42);
	EXPECT_EQ(-1, pattern_check(buf, sizeof(buf), 42));
	EXPECT_LE(0, pattern_check(buf, sizeof(buf), 43)) TH_LOG("the seed matters");
	buf[1000] ^= 0x10;
	EXPECT_EQ(1000, pattern_check(buf, sizeof(buf), 42));
}

TEST(errno_names)
{
	EXPECT_STREQ("EBADFD", errno_name(EBADFD));
	EXPECT_STREQ("EMSGSIZE", errno_name(EMSGSIZE));
	EXPECT_STREQ("0", errno_name(0));
	EXPECT_STREQ("errno 12345", errno_name(12345));
}

TEST_HARNESS_MAIN
