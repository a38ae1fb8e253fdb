#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>
#include <stddef.h>

/* Typed wrappers over libcurl's variadic calls, which Swift cannot call directly. */

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_ptr(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_str(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

/* Response body chunks (CURLOPT_WRITEFUNCTION + CURLOPT_WRITEDATA). */
CURLcode ccurl_set_write_callback(CURL *handle, ccurl_data_callback callback, void *context);
/* Response header lines (CURLOPT_HEADERFUNCTION + CURLOPT_HEADERDATA). */
CURLcode ccurl_set_header_callback(CURL *handle, ccurl_data_callback callback, void *context);
/* Request body chunks pulled by curl (CURLOPT_READFUNCTION + CURLOPT_READDATA). */
CURLcode ccurl_set_read_callback(CURL *handle, ccurl_data_callback callback, void *context);

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_double(CURL *handle, CURLINFO info, double *value);

/* The value curl's read callback returns to abort a transfer. */
size_t ccurl_read_abort(void);

#endif
