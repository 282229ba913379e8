namespace TicketHub.Deploy.Tests;

/// <summary>The objects of deploy/kubernetes hang together as far as a reading can tell (no cluster here).</summary>
public sealed class KubernetesManifestTests
{
    /// <summary>The kinds used here and the API version of each (the stable ones).</summary>
    private static readonly Dictionary<string, string> ApiVersions = new(StringComparer.Ordinal)
    {
        ["Namespace"] = "v1",
        ["ConfigMap"] = "v1",
        ["Secret"] = "v1",
        ["Service"] = "v1",
        ["PersistentVolumeClaim"] = "v1",
        ["Deployment"] = "apps/v1",
        ["PodDisruptionBudget"] = "policy/v1",
        ["Ingress"] = "networking.k8s.io/v1",
    };

    private static IEnumerable<Dictionary<string, object?>> Deployments => Kubernetes.OfKind("Deployment");

    [Test]
    public void Every_manifest_parses_and_every_object_has_an_api_version_a_kind_and_a_name()
    {
        var problems = new List<string>();
        foreach (var (file, item) in Kubernetes.Objects.Value)
        {
            var kind = item.StringAt("kind");
            if (kind is null || !ApiVersions.TryGetValue(kind, out var apiVersion))
            {
                problems.Add($"{file}: kind '{kind}' is not one of {string.Join(", ", ApiVersions.Keys)}");
            }
            else if (item.StringAt("apiVersion") != apiVersion)
            {
                problems.Add($"{file}: {kind} needs apiVersion {apiVersion}, not '{item.StringAt("apiVersion")}'");
            }

            if (string.IsNullOrWhiteSpace(item.StringAt("metadata", "name")))
            {
                problems.Add($"{file}: a {kind} without metadata.name");
            }
        }

        Assert.That(Kubernetes.Objects.Value, Is.Not.Empty);
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void No_two_objects_of_one_kind_share_a_name()
    {
        var duplicates = Kubernetes.Objects.Value.GroupBy(entry => $"{entry.Object.StringAt("kind")}/{entry.Object.StringAt("metadata", "name")}")
            .Where(group => group.Count() > 1).Select(group => group.Key);
        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void The_kustomization_lists_every_manifest_and_names_the_image_of_every_Deployment()
    {
        var kustomization = Yaml.Load($"{Kubernetes.Folder}/kustomization.yaml");
        var resources = kustomization.ListAt("resources").OfType<string>().Select(resource => $"{Kubernetes.Folder}/{resource}").Order(StringComparer.Ordinal);
        Assert.That(resources, Is.EqualTo(Kubernetes.ManifestFiles()));
        var images = kustomization.ListAt("images").Select(image => image.StringAt("name")).ToHashSet(StringComparer.Ordinal);
        Assert.That(Deployments.Select(deployment => Kubernetes.MainContainer(deployment).StringAt("image")).Where(image => !images.Contains(image)), Is.Empty);
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void The_service_has_a_Deployment_a_Service_a_ConfigMap_and_a_PodDisruptionBudget(Deployable service)
    {
        Assert.That(new[] { "Deployment", "Service", "ConfigMap", "PodDisruptionBudget" }.Where(kind => Kubernetes.Find(kind, service.Name) is null), Is.Empty);
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void The_Deployment_selects_its_own_pods_and_runs_the_service_image(Deployable service)
    {
        var deployment = Kubernetes.Deployment(service.Name);
        var selector = deployment.StringsAt("spec", "selector", "matchLabels");
        var labels = deployment.StringsAt("spec", "template", "metadata", "labels");
        Assert.That(selector, Is.Not.Empty);
        Assert.That(selector.Where(label => labels.GetValueOrDefault(label.Key) != label.Value), Is.Empty, "the selector must match the pod template's labels");
        Assert.That(Kubernetes.MainContainer(deployment).StringAt("image"), Is.EqualTo($"tickethub-{service.Name}"));
        Assert.That(deployment.StringAt("spec", "replicas"), Is.EqualTo(service.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void The_Deployment_probes_liveness_and_readiness_on_the_health_paths_of_a_declared_port(Deployable service)
    {
        var container = Kubernetes.MainContainer(Kubernetes.Deployment(service.Name));
        var ports = container.ListAt("ports").SelectMany(port => new[] { port.StringAt("name"), port.StringAt("containerPort") }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Assert.That(ports, Does.Contain("8080"), "the services listen on 8080 (Urls in tickethub-common)");
        foreach (var (probe, path) in new[] { ("startupProbe", "/health/live"), ("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready") })
        {
            Assert.That(container.StringAt(probe, "httpGet", "path"), Is.EqualTo(path), probe);
            Assert.That(ports, Does.Contain(container.StringAt(probe, "httpGet", "port")), $"{probe} port");
        }
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void The_Deployment_sets_requests_and_limits_and_runs_as_a_non_root_user(Deployable service)
    {
        var deployment = Kubernetes.Deployment(service.Name);
        var container = Kubernetes.MainContainer(deployment);
        foreach (var bound in new[] { "requests", "limits" })
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.That(container.StringAt("resources", bound, resource), Is.Not.Null.And.Not.Empty, $"resources.{bound}.{resource}");
            }
        }

        var pod = deployment.At("spec", "template", "spec");
        Assert.That(pod.StringAt("securityContext", "runAsNonRoot"), Is.EqualTo("true"));
        Assert.That(pod.StringAt("securityContext", "runAsUser"), Is.Not.EqualTo("0").And.Not.Null);
        Assert.That(container.StringAt("securityContext", "allowPrivilegeEscalation"), Is.EqualTo("false"));
    }

    [Test]
    public void Every_Service_selects_the_pods_of_a_Deployment_and_targets_a_port_they_declare()
    {
        var problems = new List<string>();
        foreach (var service in Kubernetes.OfKind("Service"))
        {
            var name = service.StringAt("metadata", "name");
            var deployment = Selected(service.StringsAt("spec", "selector"));
            if (deployment is null)
            {
                problems.Add($"Service {name} selects no Deployment's pods");
                continue;
            }

            var declared = Kubernetes.MainContainer(deployment).ListAt("ports")
                .SelectMany(port => new[] { port.StringAt("name"), port.StringAt("containerPort") }).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(service.ListAt("spec", "ports").Select(port => port.StringAt("targetPort") ?? port.StringAt("port"))
                .Where(target => !declared.Contains(target)).Select(target => $"Service {name} targets port {target}, which its pods do not declare"));
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Every_PodDisruptionBudget_selects_a_Deployment_and_bounds_the_disruption()
    {
        var problems = new List<string>();
        foreach (var budget in Kubernetes.OfKind("PodDisruptionBudget"))
        {
            var name = budget.StringAt("metadata", "name");
            if (Selected(budget.StringsAt("spec", "selector", "matchLabels")) is null)
            {
                problems.Add($"PodDisruptionBudget {name} selects no Deployment's pods");
            }

            if (budget.At("spec", "minAvailable") is null && budget.At("spec", "maxUnavailable") is null)
            {
                problems.Add($"PodDisruptionBudget {name} sets neither minAvailable nor maxUnavailable");
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void The_Ingress_sends_every_path_to_a_port_of_an_existing_Service_and_that_is_the_gateway()
    {
        var ingresses = Kubernetes.OfKind("Ingress").ToList();
        Assert.That(ingresses, Is.Not.Empty);
        var backends = ingresses.SelectMany(ingress => ingress.ListAt("spec", "rules"))
            .SelectMany(rule => rule.ListAt("http", "paths"))
            .Select(path => path.At("backend", "service"))
            .ToList();
        Assert.That(backends, Is.Not.Empty);
        foreach (var backend in backends)
        {
            var service = Kubernetes.Find("Service", backend.StringAt("name"));
            Assert.That(service, Is.Not.Null, $"Service {backend.StringAt("name")}");
            var port = backend.StringAt("port", "name") ?? backend.StringAt("port", "number");
            var ports = service!.ListAt("spec", "ports").SelectMany(candidate => new[] { candidate.StringAt("name"), candidate.StringAt("port") });
            Assert.That(ports, Does.Contain(port));
        }

        // The portal is reached through the gateway (every path outside /api), never on its own.
        Assert.That(backends.Select(backend => backend.StringAt("name")).Distinct(), Is.EqualTo(new[] { "gateway" }));
    }

    [Test]
    public void Every_ConfigMap_Secret_and_volume_claim_a_Deployment_uses_is_defined()
    {
        var problems = new List<string>();
        foreach (var deployment in Deployments)
        {
            var name = deployment.StringAt("metadata", "name");
            foreach (var volume in deployment.ListAt("spec", "template", "spec", "volumes"))
            {
                var reference = volume.StringAt("configMap", "name") is { } configMap ? ("ConfigMap", configMap)
                    : volume.StringAt("secret", "secretName") is { } secret ? ("Secret", secret)
                    : volume.StringAt("persistentVolumeClaim", "claimName") is { } claim ? ("PersistentVolumeClaim", claim)
                    : ((string Kind, string Name)?)null;
                if (reference is { } found && Kubernetes.Find(found.Kind, found.Name) is null)
                {
                    problems.Add($"Deployment {name} mounts {found.Kind} {found.Name}, which no manifest defines");
                }
            }

            var container = Kubernetes.MainContainer(deployment);
            var volumeNames = deployment.ListAt("spec", "template", "spec", "volumes").Select(volume => volume.StringAt("name")).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(container.ListAt("volumeMounts").Select(mount => mount.StringAt("name")).Where(mount => !volumeNames.Contains(mount))
                .Select(mount => $"Deployment {name} mounts volume {mount}, which it does not declare"));
            _ = Kubernetes.Settings(name!); // throws when an envFrom names a missing ConfigMap or Secret
        }

        Assert.That(problems, Is.Empty);
    }

    /// <summary>The Deployment whose pods carry every label of <paramref name="selector"/>.</summary>
    private static Dictionary<string, object?>? Selected(Dictionary<string, string> selector) =>
        selector.Count == 0 ? null : Deployments.FirstOrDefault(deployment =>
        {
            var labels = deployment.StringsAt("spec", "template", "metadata", "labels");
            return selector.All(label => labels.GetValueOrDefault(label.Key) == label.Value);
        });
}
