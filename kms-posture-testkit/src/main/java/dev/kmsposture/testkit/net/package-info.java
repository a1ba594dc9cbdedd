/** Guards that keep tests on loopback: tests may only talk to 127.0.0.0/8 and ::1. */
package dev.kmsposture.testkit.net;
