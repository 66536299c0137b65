// Package metrics holds Dure's Prometheus collectors on one registry, created
// by cmd/dure and passed to whoever records (no package-level state).
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the collectors Dure records into.
type Metrics struct {
	Registry *prometheus.Registry
	// HTTPDuration is request latency by route pattern, method and status class.
	HTTPDuration *prometheus.HistogramVec
	// SearchFallbacks counts searches answered by PostgreSQL because
	// Meilisearch failed.
	SearchFallbacks prometheus.Counter
	// SearchDegraded is 1 while the last search attempt on Meilisearch failed.
	SearchDegraded prometheus.Gauge
	// SearchCacheHits and SearchCacheMisses count searches answered from
	// the result cache and searches that had to ask an engine.
	SearchCacheHits, SearchCacheMisses prometheus.Counter
	// OutboxBacklog is the number of outbox rows not yet applied to the index.
	OutboxBacklog prometheus.Gauge
	// OutboxLagSeconds is the age of the oldest unapplied outbox row.
	OutboxLagSeconds prometheus.Gauge
	// OutboxApplied counts outbox rows applied to the index.
	OutboxApplied prometheus.Counter
}

// New creates the collectors on a fresh registry (with Go and process metrics).
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dure_http_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "code"}),
		SearchFallbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dure_search_fallback_total",
			Help: "Searches answered by the PostgreSQL fallback because Meilisearch failed.",
		}),
		SearchDegraded: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dure_search_degraded",
			Help: "1 while search runs on the PostgreSQL fallback.",
		}),
		SearchCacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dure_search_cache_hits_total",
			Help: "Searches answered from the Redis result cache.",
		}),
		SearchCacheMisses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dure_search_cache_misses_total",
			Help: "Searches the result cache did not hold (asked an engine).",
		}),
		OutboxBacklog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dure_search_outbox_backlog",
			Help: "Outbox rows not yet applied to the search index.",
		}),
		OutboxLagSeconds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dure_search_outbox_lag_seconds",
			Help: "Age of the oldest outbox row not yet applied to the search index.",
		}),
		OutboxApplied: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dure_search_outbox_applied_total",
			Help: "Outbox rows applied to the search index.",
		}),
	}
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.HTTPDuration, m.SearchFallbacks, m.SearchDegraded, m.SearchCacheHits, m.SearchCacheMisses, m.OutboxBacklog, m.OutboxLagSeconds, m.OutboxApplied)
	return m
}
