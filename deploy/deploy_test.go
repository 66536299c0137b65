// Package deploy_test checks what can be checked of the Dockerfile and the
// Kubernetes manifests without Docker or a cluster: the YAML parses into the
// objects it claims to be, every DURE_* variable set is one the binary reads,
// the settings pass production's start-up check, and the probes ask routes
// that exist on the listener they name.
package deploy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/metrics"
	webapp "github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// object is the part of a Kubernetes object these checks read.
type object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Data       map[string]string `json:"data"`
	StringData map[string]string `json:"stringData"`
	Resources  []string          `json:"resources"` // Kustomization
	Spec       json.RawMessage   `json:"spec"`
	file       string
}

type podSpec struct {
	SecurityContext struct {
		RunAsNonRoot bool  `json:"runAsNonRoot"`
		RunAsUser    int64 `json:"runAsUser"`
	} `json:"securityContext"`
	Containers []container `json:"containers"`
	Volumes    []struct {
		Name                  string `json:"name"`
		PersistentVolumeClaim *struct {
			ClaimName string `json:"claimName"`
		} `json:"persistentVolumeClaim"`
	} `json:"volumes"`
}

type container struct {
	Name    string   `json:"name"`
	Image   string   `json:"image"`
	Args    []string `json:"args"`
	EnvFrom []struct {
		ConfigMapRef *struct{ Name string } `json:"configMapRef"`
		SecretRef    *struct{ Name string } `json:"secretRef"`
	} `json:"envFrom"`
	Env []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"env"`
	Ports []struct {
		Name          string `json:"name"`
		ContainerPort int    `json:"containerPort"`
	} `json:"ports"`
	StartupProbe   *probe `json:"startupProbe"`
	ReadinessProbe *probe `json:"readinessProbe"`
	LivenessProbe  *probe `json:"livenessProbe"`
	VolumeMounts   []struct {
		Name      string `json:"name"`
		MountPath string `json:"mountPath"`
	} `json:"volumeMounts"`
}

type probe struct {
	HTTPGet *struct {
		Path string          `json:"path"`
		Port json.RawMessage `json:"port"` // a name or a number
	} `json:"httpGet"`
	TCPSocket *struct {
		Port json.RawMessage `json:"port"`
	} `json:"tcpSocket"`
}

type workload struct {
	Template struct {
		Spec podSpec `json:"spec"`
	} `json:"template"`
	ScaleTargetRef struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"scaleTargetRef"`
	MinReplicas int `json:"minReplicas"`
}

// manifests parses every YAML document under k8s/.
func manifests(t *testing.T) []object {
	t.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/k8s: %v", err)
	}
	var objs []object
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for i := 0; ; i++ {
			var doc map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: document %d does not parse: %v", f, i, err)
			}
			if doc == nil {
				continue
			}
			j, err := json.Marshal(doc)
			if err != nil {
				t.Fatalf("%s: document %d: %v", f, i, err)
			}
			var o object
			if err := json.Unmarshal(j, &o); err != nil {
				t.Fatalf("%s: document %d is not a Kubernetes object: %v", f, i, err)
			}
			if o.APIVersion == "" || o.Kind == "" {
				t.Fatalf("%s: document %d has no apiVersion or kind", f, i)
			}
			if o.Kind != "Kustomization" && o.Metadata.Name == "" {
				t.Fatalf("%s: %s without a name", f, o.Kind)
			}
			o.file = filepath.Base(f)
			objs = append(objs, o)
		}
	}
	return objs
}

func find(t *testing.T, objs []object, kind, name string) object {
	t.Helper()
	for _, o := range objs {
		if o.Kind == kind && (name == "" || o.Metadata.Name == name) {
			return o
		}
	}
	t.Fatalf("no %s %q in deploy/k8s", kind, name)
	return object{}
}

func spec[T any](t *testing.T, o object) T {
	t.Helper()
	var s T
	if err := json.Unmarshal(o.Spec, &s); err != nil {
		t.Fatalf("%s %s: spec: %v", o.Kind, o.Metadata.Name, err)
	}
	return s
}

var dureVar = regexp.MustCompile(`\bDURE_[A-Z0-9_]+`)

// dockerfile is the Dockerfile's final stage: its ENV settings, user and
// the text of the whole file.
type dockerfile struct {
	text   string
	env    map[string]string
	user   string
	stages int
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	d := dockerfile{text: string(b), env: map[string]string{}}
	// Join continued lines, then read instruction by instruction.
	text := strings.ReplaceAll(d.text, "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, rest, _ := strings.Cut(line, " ")
		switch strings.ToUpper(instr) {
		case "FROM":
			d.stages++
			d.env, d.user = map[string]string{}, ""
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Fatalf("Dockerfile: ENV %q: write NAME=value", kv)
				}
				d.env[k] = v
			}
		case "USER":
			d.user = strings.TrimSpace(rest)
		}
	}
	return d
}

// Every DURE_* variable the Dockerfile and the manifests set is one the
// binary reads (config.Variables), and every ConfigMap or Secret key, being
// loaded whole with envFrom, is such a variable.
func TestEveryVariableIsReadByTheBinary(t *testing.T) {
	known := map[string]bool{}
	for _, v := range config.Variables {
		known[v] = true
	}
	reported := map[string]bool{}
	check := func(where, name string) {
		if !known[name] && !reported[where+name] {
			reported[where+name] = true
			t.Errorf("%s sets %s, which dure does not read (config.Variables)", where, name)
		}
	}
	d := readDockerfile(t)
	for _, name := range dureVar.FindAllString(d.text, -1) {
		check("Dockerfile", name)
	}
	objs := manifests(t)
	for _, o := range objs {
		for k := range o.Data {
			check(o.file, k)
		}
		for k := range o.StringData {
			check(o.file, k)
		}
		if o.Kind == "Deployment" || o.Kind == "Job" {
			for _, c := range spec[workload](t, o).Template.Spec.Containers {
				for _, e := range c.Env {
					check(o.file, e.Name)
				}
			}
		}
		b, _ := os.ReadFile(filepath.Join("k8s", o.file))
		for _, name := range dureVar.FindAllString(string(b), -1) {
			check(o.file, name)
		}
	}
}

// environment is what the container sees: the image's ENV, then the
// ConfigMap and the Secret (envFrom overrides the image).
func environment(t *testing.T, objs []object, c container) map[string]string {
	t.Helper()
	env := map[string]string{}
	for k, v := range readDockerfile(t).env {
		env[k] = v
	}
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			for k, v := range find(t, objs, "ConfigMap", from.ConfigMapRef.Name).Data {
				env[k] = v
			}
		case from.SecretRef != nil:
			for k, v := range find(t, objs, "Secret", from.SecretRef.Name).StringData {
				env[k] = v
			}
		}
	}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	return env
}

// The Deployment's settings pass production's start-up check (the secrets
// it requires are all in the Secret, not the ConfigMap), the payment page can
// take cards, and uploads go to the shared volume.
func TestDeploymentPassesProductionChecks(t *testing.T) {
	objs := manifests(t)
	dep := find(t, objs, "Deployment", "dure")
	pod := spec[workload](t, dep).Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("Deployment: %d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	env := environment(t, objs, c)
	cfg, err := config.FromLookup(func(name string) (string, bool) { v, ok := env[name]; return v, ok })
	if err != nil {
		t.Fatalf("the Deployment's configuration: %v", err)
	}
	if cfg.IsDevelopment() {
		t.Error("the Deployment runs in development mode")
	}
	if err := cfg.CheckServe(); err != nil {
		t.Errorf("serve would refuse the Deployment's configuration: %v", err)
	}
	if cfg.StripePublishableKey == "" {
		t.Error("DURE_STRIPE_PUBLISHABLE_KEY unset: serve refuses to start against the real Stripe API without it")
	}
	secret := find(t, objs, "Secret", "dure-secrets")
	cm := find(t, objs, "ConfigMap", "dure-config")
	for _, name := range []string{"DURE_COOKIE_SECRET", "DURE_MEILI_KEY", "DURE_STRIPE_KEY", "DURE_STRIPE_WEBHOOK_SECRET", "DURE_DATABASE_URL"} {
		if _, ok := secret.StringData[name]; !ok {
			t.Errorf("the Secret lacks %s", name)
		}
		if _, ok := cm.Data[name]; ok {
			t.Errorf("the ConfigMap holds the secret %s", name)
		}
	}
	// Without its variable serve would refuse: the Secret is what makes it pass.
	delete(env, "DURE_COOKIE_SECRET")
	bare, _ := config.FromLookup(func(name string) (string, bool) { v, ok := env[name]; return v, ok })
	if bare.CheckServe() == nil {
		t.Error("CheckServe passes without DURE_COOKIE_SECRET: this test checks nothing")
	}

	mounted := false
	for _, m := range c.VolumeMounts {
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.PersistentVolumeClaim != nil && m.MountPath == cfg.UploadDir {
				mounted = true
				find(t, objs, "PersistentVolumeClaim", v.PersistentVolumeClaim.ClaimName)
			}
		}
	}
	if !mounted {
		t.Errorf("DURE_UPLOAD_DIR %s is not a mounted persistent volume: replicas would not share uploads", cfg.UploadDir)
	}
	if !pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser == 0 {
		t.Errorf("the pod may run as root: %+v", pod.SecurityContext)
	}
}

// Each probe asks, on the port it names, a route that exists on the listener
// serving that port (DURE_ADDR: the storefront; DURE_ADMIN_ADDR: the admin
// app), and the readiness probe is the public health check.
func TestProbesAskRoutesThatExist(t *testing.T) {
	objs := manifests(t)
	dep := find(t, objs, "Deployment", "dure")
	c := spec[workload](t, dep).Template.Spec.Containers[0]
	env := environment(t, objs, c)
	listener := map[int]string{}
	for name, what := range map[string]string{"DURE_ADDR": "storefront", "DURE_ADMIN_ADDR": "admin"} {
		_, port, err := net.SplitHostPort(env[name])
		if err != nil {
			t.Fatalf("%s = %q: %v", name, env[name], err)
		}
		p, _ := strconv.Atoi(port)
		listener[p] = what
	}
	portOf := func(raw json.RawMessage) int {
		var n int
		if json.Unmarshal(raw, &n) == nil {
			return n
		}
		var name string
		_ = json.Unmarshal(raw, &name)
		for _, p := range c.Ports {
			if p.Name == name {
				return p.ContainerPort
			}
		}
		t.Fatalf("probe port %s is not a container port", raw)
		return 0
	}
	storefront := &webtest.Unit{}
	admin := webapp.Admin(webapp.Deps{Metrics: metrics.New()})
	for kind, p := range map[string]*probe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || (p.HTTPGet == nil && p.TCPSocket == nil) {
			t.Errorf("no %s probe", kind)
			continue
		}
		if p.TCPSocket != nil {
			if listener[portOf(p.TCPSocket.Port)] == "" {
				t.Errorf("%s probe: port %s is no listener", kind, p.TCPSocket.Port)
			}
			continue
		}
		path := p.HTTPGet.Path
		var status int
		switch listener[portOf(p.HTTPGet.Port)] {
		case "storefront":
			resp, _ := storefront.Do(t, "GET", path)
			status = resp.StatusCode
		case "admin":
			resp, err := admin.Test(httptest.NewRequest("GET", path, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			status = resp.StatusCode
		default:
			t.Errorf("%s probe: port %s is neither DURE_ADDR nor DURE_ADMIN_ADDR", kind, p.HTTPGet.Port)
			continue
		}
		if status != 200 {
			t.Errorf("%s probe GET %s on the %s listener: %d, want 200", kind, path, listener[portOf(p.HTTPGet.Port)], status)
		}
	}
	if r := c.ReadinessProbe; r == nil || r.HTTPGet == nil || r.HTTPGet.Path != "/healthz" || listener[portOf(r.HTTPGet.Port)] != "storefront" {
		t.Error("the readiness probe is not the storefront's /healthz")
	}
	// Liveness asks no dependency: a database outage must not restart
	// every replica (/healthz is 503 then; /livez is not).
	if l := c.LivenessProbe; l == nil || l.HTTPGet == nil || l.HTTPGet.Path != "/livez" || listener[portOf(l.HTTPGet.Port)] != "storefront" {
		t.Error("the liveness probe is not the storefront's /livez")
	}
}

// The migration Job runs `dure migrate` from the Deployment's image with the
// same settings; the Service and the autoscaler point at the Deployment; the
// kustomization lists files that exist.
func TestJobServiceAutoscalerAndKustomization(t *testing.T) {
	objs := manifests(t)
	dep := spec[workload](t, find(t, objs, "Deployment", "dure")).Template.Spec.Containers[0]
	job := spec[workload](t, find(t, objs, "Job", "dure-migrate")).Template.Spec.Containers
	if len(job) != 1 || !slices.Equal(job[0].Args, []string{"migrate"}) {
		t.Fatalf("the Job's containers = %+v, want one running migrate", job)
	}
	if job[0].Image != dep.Image {
		t.Errorf("the Job runs %s, the Deployment %s: migrations must come from the release rolled out", job[0].Image, dep.Image)
	}
	if !slices.Equal(envNames(t, objs, job[0]), envNames(t, objs, dep)) {
		t.Errorf("the Job's variables %v differ from the Deployment's %v", envNames(t, objs, job[0]), envNames(t, objs, dep))
	}
	hpa := spec[workload](t, find(t, objs, "HorizontalPodAutoscaler", "dure"))
	if hpa.ScaleTargetRef.Kind != "Deployment" || hpa.ScaleTargetRef.Name != "dure" || hpa.MinReplicas < 2 {
		t.Errorf("the autoscaler targets %+v from %d replicas, want Deployment dure from at least 2", hpa.ScaleTargetRef, hpa.MinReplicas)
	}
	svc := find(t, objs, "Service", "dure")
	var s struct {
		Ports []struct {
			TargetPort json.RawMessage `json:"targetPort"`
		} `json:"ports"`
	}
	if err := json.Unmarshal(svc.Spec, &s); err != nil || len(s.Ports) != 1 || string(s.Ports[0].TargetPort) != `"http"` {
		t.Errorf("the Service's ports = %s, want only the storefront's (targetPort http; never admin)", svc.Spec)
	}
	k := find(t, objs, "Kustomization", "")
	for _, r := range k.Resources {
		if _, err := os.Stat(filepath.Join("k8s", r)); err != nil {
			t.Errorf("kustomization.yaml: %v", err)
		}
	}
	if slices.Contains(k.Resources, "migrate-job.yaml") {
		t.Error("the migration Job is in the kustomization: it must run (and finish) before the rollout, not with it")
	}
}

func envNames(t *testing.T, objs []object, c container) []string {
	var names []string
	for k := range environment(t, objs, c) {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// The image is built in stages into a static binary run by a non-root user,
// with the Korean fonts, and the build context keeps what the binary embeds.
func TestDockerfile(t *testing.T) {
	d := readDockerfile(t)
	if d.stages < 2 {
		t.Errorf("Dockerfile has %d stage(s), want a build stage and a runtime stage", d.stages)
	}
	for _, want := range []string{"CGO_ENABLED=0", "fonts-nanum", "postgresql-client", "./cmd/dure"} {
		if !strings.Contains(d.text, want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	if u, _, _ := strings.Cut(d.user, ":"); u == "" || u == "root" || u == "0" {
		t.Errorf("the runtime stage runs as %q, want a non-root user", d.user)
	}
	dep := spec[workload](t, find(t, manifests(t), "Deployment", "dure")).Template.Spec
	if u, _, _ := strings.Cut(d.user, ":"); u != strconv.FormatInt(dep.SecurityContext.RunAsUser, 10) {
		t.Errorf("the image's user %s is not the Deployment's runAsUser %d", d.user, dep.SecurityContext.RunAsUser)
	}
	b, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		p := strings.TrimSuffix(strings.TrimSpace(line), "/")
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		for _, embedded := range []string{"storefront/templates", "storefront/static", "migrations", "internal/web/api/openapi.json", "go.mod", "go.sum", "cmd/dure"} {
			if m, _ := filepath.Match(p, embedded); m || strings.HasPrefix(embedded, p+"/") {
				t.Errorf(".dockerignore %q leaves %s out of the build", line, embedded)
			}
		}
	}
}
