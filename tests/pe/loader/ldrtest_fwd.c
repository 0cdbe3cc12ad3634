/* The target of ldrtest_lib.dll's forwarders: loaded only because a forwarder names it. */
int fwd_target(int x) {
  return x * 3 + 1;
}
int fwd_by_ordinal(int x) {
  return x - 100;
}
