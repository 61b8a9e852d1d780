/*
 * One sco_client shared by 4 pthreads at once: each thread exchanges its own authorization
 * codes, obtained before the threads start, against the fake server.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define THREADS 4
#define CODES_PER_THREAD 5

static fake_server fake;

typedef struct worker {
  const sco_client *client;
  pthread_barrier_t *start;
  fake_code codes[CODES_PER_THREAD];
  int exchanged; /* exchanges whose token names the expected account */
  int failed;    /* exchanges that failed or named another account */
} worker;

static void *exchange_codes(void *argument) {
  worker *self = argument;
  pthread_barrier_wait(self->start);
  for (int i = 0; i < CODES_PER_THREAD; i++) {
    sco_token *token = NULL;
    sco_error *error = NULL;
    sco_status status =
        sco_client_exchange_code(self->client, self->codes[i].code, NULL, &token, &error);
    const char *account = sco_token_stripe_user_id(token);
    if (status == SCO_OK && account != NULL &&
        strcmp(account, self->codes[i].stripe_user_id) == 0) {
      self->exchanged++;
    } else {
      self->failed++;
      fprintf(stderr, "  exchange failed: %s: %s\n", status_name(status),
              sco_error_message(error));
    }
    sco_token_free(token);
    sco_error_free(error);
  }
  return NULL;
}

/* Returns the largest number of recorded requests that were in progress at the same time. */
static size_t max_in_progress(const json_value *requests) {
  size_t best = 0;
  for (size_t i = 0; i < json_count(requests); i++) {
    const json_value *request = json_at(requests, i);
    const json_value *received = json_get(request, "received_at_us");
    if (received == NULL) continue;
    double instant = received->number;
    size_t in_progress = 0;
    for (size_t j = 0; j < json_count(requests); j++) {
      const json_value *other = json_at(requests, j);
      const json_value *start = json_get(other, "received_at_us");
      const json_value *end = json_get(other, "responded_at_us");
      if (start != NULL && end != NULL && end->type == JSON_NUMBER &&
          start->number <= instant && instant <= end->number) {
        in_progress++;
      }
    }
    if (in_progress > best) best = in_progress;
  }
  return best;
}

static void one_client_serves_four_threads(void) {
  CHECK(fake_reset(&fake));
  worker workers[THREADS];
  memset(workers, 0, sizeof workers);
  for (int t = 0; t < THREADS; t++) {
    for (int i = 0; i < CODES_PER_THREAD; i++) {
      if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\"}", &workers[t].codes[i]) ==
                 0)) {
        return;
      }
    }
  }
  /* The first request of each thread is held for 300 ms, so the threads overlap for sure. */
  CHECK(fake_queue_fault(&fake, "/oauth/token", "{\"kind\": \"delay\", \"ms\": 300}", THREADS));

  sco_config *config = fake_config(&fake);
  sco_client *client = NULL;
  sco_error *error = NULL;
  CHECK_STATUS(sco_client_new(config, &client, &error), SCO_OK, error);
  sco_config_free(config);

  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, THREADS);
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; t++) {
    workers[t].client = client;
    workers[t].start = &start;
    CHECK(pthread_create(&threads[t], NULL, exchange_codes, &workers[t]) == 0);
  }
  for (int t = 0; t < THREADS; t++) {
    pthread_join(threads[t], NULL);
  }
  pthread_barrier_destroy(&start);

  int exchanged = 0;
  int failed = 0;
  for (int t = 0; t < THREADS; t++) {
    exchanged += workers[t].exchanged;
    failed += workers[t].failed;
  }
  CHECK(exchanged == THREADS * CODES_PER_THREAD);
  CHECK(failed == 0);

  json_value *recorded = fake_requests(&fake, "/oauth/token");
  const json_value *requests = json_get(recorded, "requests");
  CHECK(json_count(requests) == THREADS * CODES_PER_THREAD);
  size_t overlap = max_in_progress(requests);
  if (!CHECK(overlap >= 2)) {
    fprintf(stderr, "  at most %zu requests were in progress at once\n", overlap);
  }
  json_free(recorded);

  sco_client_free(client);
  sco_error_free(error);
  for (int t = 0; t < THREADS; t++) {
    for (int i = 0; i < CODES_PER_THREAD; i++) {
      fake_code_free(&workers[t].codes[i]);
    }
  }
}

int main(void) {
  fake_load(&fake);
  RUN(one_client_serves_four_threads);
  fake_server_free(&fake);
  return finish_cases("test_threads");
}
