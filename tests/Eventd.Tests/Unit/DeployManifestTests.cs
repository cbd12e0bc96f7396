using System.Text.RegularExpressions;

namespace Eventd.Tests.Unit;

/// <summary>
/// The deployment files (deploy/local, deploy/docker, deploy/k8s) set only settings the README's
/// "Configuration" table documents, and use its default ports and the health routes.
/// </summary>
public sealed class DeployManifestTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly ConfigurationTable Documented = ConfigurationTable.Read(File.ReadAllText(Path.Combine(Root, "README.md")));

    private static int SiloPort => Documented.DefaultPort("Orleans:SiloPort");
    private static int GatewayPort => Documented.DefaultPort("Orleans:GatewayPort");
    private static int MetricsPort => Documented.DefaultPort("Orleans:MetricsPort");
    private static int HttpPort => new Uri(Documented.Default("ASPNETCORE_URLS")).Port;

    [Fact]
    public void README_configuration_table_documents_the_keys_and_ports_deployments_use()
    {
        Assert.Contains("Redis:ConnectionString", Documented.Keys);
        Assert.Contains("Orleans:AdvertisedIP", Documented.Keys);
        Assert.Contains("Eventd:Delivery:DefaultTimeoutMs", Documented.Keys);
        Assert.Equal([11111, 30000, 9091, 8080], [SiloPort, GatewayPort, MetricsPort, HttpPort]);
    }

    [Fact]
    public void Compose_file_sets_only_documented_keys() =>
        Assert.Empty(Documented.Undocumented(ComposeEnvironment(Read("deploy/docker/compose.yaml"))));

    [Fact]
    public void K8s_manifests_set_only_documented_keys() =>
        Assert.Empty(Documented.Undocumented(K8sDocuments().SelectMany(K8sEnvironment)));

    [Fact]
    public void Local_scripts_pass_only_documented_keys()
    {
        List<EnvVar> passed = [.. ScriptEnvironment("deploy/local/cluster.sh"), .. ScriptEnvironment("deploy/local/lib.sh")];
        Assert.Contains(passed, v => v.Name == "Orleans__MetricsPort");
        Assert.Empty(Documented.Undocumented(passed.Concat(ScriptEnvironment("deploy/local/run.sh"))));
    }

    [Fact]
    public void Dockerfiles_set_only_documented_keys() =>
        Assert.Empty(Documented.Undocumented(DockerfileEnvironment("Dockerfile.silo").Concat(DockerfileEnvironment("Dockerfile.gateway"))));

    [Fact]
    public void An_undocumented_key_is_caught()
    {
        var compose = ManifestYaml.Documents("services:\n  silo:\n    environment:\n      Orleans__SiloPrt: \"11111\"\n", "compose.yaml").Single();
        var k8s = ManifestYaml.Documents("kind: Deployment\nspec:\n  env:\n    - name: Eventd__Delivery__SigningSecrit\n      value: x\n", "silo.yaml");

        Assert.Equal(["compose.yaml:4: Orleans__SiloPrt"], Documented.Undocumented(ComposeEnvironment(compose)));
        Assert.Equal(["silo.yaml:4: Eventd__Delivery__SigningSecrit"], Documented.Undocumented(K8sEnvironment(k8s[0])));
    }

    [Fact]
    public void Every_port_setting_in_the_manifests_is_the_documented_default()
    {
        var settings = ComposeEnvironment(Read("deploy/docker/compose.yaml"))
            .Concat(K8sDocuments().SelectMany(K8sEnvironment))
            .Where(v => v.Name.EndsWith("Port", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var expected = new Dictionary<string, int> { ["Orleans__SiloPort"] = SiloPort, ["Orleans__GatewayPort"] = GatewayPort, ["Orleans__MetricsPort"] = MetricsPort };
        string Default(EnvVar v) => expected.TryGetValue(v.Name, out var port) ? port.ToString() : "(not a documented port)";

        Assert.NotEmpty(settings);
        Assert.All(settings, v => Assert.Equal($"{v.Where}: {v.Name}={Default(v)}", $"{v.Where}: {v.Name}={v.Value}"));
    }

    [Fact]
    public void Compose_silos_advertise_their_fixed_address_and_probe_the_documented_ports()
    {
        var compose = Read("deploy/docker/compose.yaml");
        var services = ManifestYaml.Entries(compose, compose.Single(l => l.Indent == 0 && l.Key == "services"));
        var silos = services.Where(s => s.Key!.StartsWith("silo", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, silos.Count);
        foreach (var silo in silos)
        {
            var lines = ManifestYaml.Children(compose, silo);
            var advertised = ComposeEnvironment(lines).Single(v => v.Name == "Orleans__AdvertisedIP").Value;
            Assert.Equal(lines.Single(l => l.Key == "ipv4_address").Value, advertised);
            Assert.All(PublishedContainerPorts(lines), port => Assert.Equal(MetricsPort, port));
        }

        var gateway = ManifestYaml.Children(compose, services.Single(s => s.Key == "gateway"));
        Assert.Equal(HttpPort, new Uri(ComposeEnvironment(gateway).Single(v => v.Name == "ASPNETCORE_URLS").Value!).Port);
        Assert.Equal([HttpPort], PublishedContainerPorts(gateway));
        var probes = ManifestYaml.Blocks(compose, "healthcheck").SelectMany(b => b.Lines)
            .SelectMany(l => Regex.Matches(l.Value, @"https?://[^\s""',\]]+").Select(m => new Uri(m.Value)));
        Assert.Equal([$"{MetricsPort} /healthz", $"{HttpPort} /healthz"], probes.Select(u => $"{u.Port} {u.AbsolutePath}"));
    }

    [Fact]
    public void K8s_containers_use_the_documented_ports()
    {
        Assert.Equal(new SortedSet<int> { SiloPort, GatewayPort, MetricsPort }, new SortedSet<int>(ContainerPorts(Deployment("eventd-silo")).Values));
        Assert.Equal([HttpPort], ContainerPorts(Deployment("eventd-gateway")).Values);

        var service = K8sDocuments().Single(d => ManifestYaml.Kind(d) == "Service" && ManifestYaml.Name(d) == "eventd-gateway");
        var targetPort = service.Single(l => l.Key == "targetPort").Value;
        Assert.Equal(HttpPort, ResolvePort(ContainerPorts(Deployment("eventd-gateway")), targetPort));
    }

    [Theory]
    [InlineData("eventd-gateway", "readinessProbe", "/readyz")]
    [InlineData("eventd-gateway", "livenessProbe", "/healthz")]
    [InlineData("eventd-silo", "readinessProbe", "/healthz")]
    [InlineData("eventd-silo", "livenessProbe", "/healthz")]
    public void K8s_probes_ask_the_health_routes_on_the_documented_ports(string deployment, string probe, string path)
    {
        var document = Deployment(deployment);
        var lines = ManifestYaml.Blocks(document, probe).Single().Lines;
        var expectedPort = deployment == "eventd-silo" ? MetricsPort : HttpPort;

        Assert.Equal(path, lines.Single(l => l.Key == "path").Value);
        Assert.Equal(expectedPort, ResolvePort(ContainerPorts(document), lines.Single(l => l.Key == "port").Value));
    }

    [Fact]
    public void K8s_silos_advertise_their_pod_ip()
    {
        var env = ManifestYaml.Blocks(Deployment("eventd-silo"), "env").Single();
        var advertised = env.Lines.SkipWhile(l => l.Value != "Orleans__AdvertisedIP").Skip(1).TakeWhile(l => !l.IsItem);

        Assert.Contains(advertised, l => l.Key == "fieldPath" && l.Value == "status.podIP");
    }

    [Fact]
    public void Dockerfiles_expose_the_documented_ports()
    {
        Assert.Equal([SiloPort, GatewayPort, MetricsPort], Exposed("Dockerfile.silo"));
        Assert.Equal([HttpPort], Exposed("Dockerfile.gateway"));
    }

    [Theory]
    [InlineData("deploy/local/run.sh")]
    [InlineData("deploy/local/cluster.sh")]
    public void Local_scripts_default_to_the_documented_ports(string script)
    {
        var text = File.ReadAllText(Path.Combine(Root, script));
        int Default(string variable) => int.Parse(Regex.Match(text, $@"\$\{{{variable}:-(?:http://[^:}}]+:)?(\d+)\}}").Groups[1].Value);

        Assert.Equal([SiloPort, GatewayPort, MetricsPort, HttpPort],
            [Default("EVENTD_SILO_PORT"), Default("EVENTD_GATEWAY_PORT"), Default("EVENTD_METRICS_PORT"), Default("EVENTD_URL")]);
    }

    [Fact]
    public void Cluster_script_usage_offers_a_private_redis_cluster()
    {
        var help = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(Root, "deploy/local/cluster.sh"), "--help"]) { RedirectStandardOutput = true };
        using var script = System.Diagnostics.Process.Start(help)!;
        var usage = script.StandardOutput.ReadToEnd();
        script.WaitForExit();

        Assert.Equal(0, script.ExitCode);
        Assert.Contains("[--redis CONNSTRING | --redis-cluster M]", usage, StringComparison.Ordinal);
        Assert.Contains("--redis-cluster M    start a private Redis Cluster", usage, StringComparison.Ordinal);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Eventd.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Eventd.Orleans.sln above {AppContext.BaseDirectory}");
    }

    private static List<YamlLine> Read(string path) => ManifestYaml.Documents(File.ReadAllText(Path.Combine(Root, path)), path).Single();

    private static List<List<YamlLine>> K8sDocuments() =>
        [.. Directory.GetFiles(Path.Combine(Root, "deploy", "k8s"), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => ManifestYaml.Documents(File.ReadAllText(f), $"deploy/k8s/{Path.GetFileName(f)}"))];

    private static List<YamlLine> Deployment(string name) =>
        K8sDocuments().Single(d => ManifestYaml.Kind(d) == "Deployment" && ManifestYaml.Name(d) == name);

    /// <summary>Every entry of every <c>environment:</c> block: <c>KEY: value</c> or <c>- KEY=value</c>.</summary>
    private static List<EnvVar> ComposeEnvironment(List<YamlLine> document) =>
        [.. ManifestYaml.Blocks(document, "environment").SelectMany(b => b.Lines.Where(l => l.Indent == b.Lines[0].Indent))
            .Where(l => l.Key != "<<")
            .Select(l => l.Key is null
                ? new EnvVar(l.Where, l.Value.Split('=')[0], l.Value.Contains('=', StringComparison.Ordinal) ? l.Value[(l.Value.IndexOf('=', StringComparison.Ordinal) + 1)..] : null)
                : new EnvVar(l.Where, l.Key, l.Value))];

    /// <summary>The <c>- name:</c> entries of every <c>env:</c> list, and the keys of a ConfigMap's <c>data:</c>.</summary>
    private static List<EnvVar> K8sEnvironment(List<YamlLine> document)
    {
        var variables = new List<EnvVar>();
        foreach (var (header, lines) in ManifestYaml.Blocks(document, "env"))
        {
            foreach (var item in lines.Where(l => l.IsItem && l.Key == "name" && l.Indent == lines[0].Indent))
            {
                var value = lines.SkipWhile(l => l != item).Skip(1).TakeWhile(l => !l.IsItem || l.Indent > item.Indent).FirstOrDefault(l => l.Key == "value");
                variables.Add(new EnvVar(item.Where, item.Value, value?.Value));
            }
        }

        if (ManifestYaml.Kind(document) == "ConfigMap")
        {
            var data = document.Single(l => l.Indent == 0 && l.Key == "data");
            variables.AddRange(ManifestYaml.Entries(document, data).Select(l => new EnvVar(l.Where, l.Key!, l.Value)));
        }

        return variables;
    }

    /// <summary>The configuration variables a script passes to the programs: <c>Section__Key=</c>, <c>ASPNETCORE_*=</c>, <c>DOTNET_*=</c>.</summary>
    private static List<EnvVar> ScriptEnvironment(string script) =>
        [.. File.ReadAllLines(Path.Combine(Root, script)).SelectMany((line, i) =>
            Regex.Matches(line, @"(?<![\w$])([A-Za-z][A-Za-z0-9]*(?:__[A-Za-z0-9]+)+|ASPNETCORE_[A-Z_]+|DOTNET_[A-Z_]+)=")
                .Select(m => new EnvVar($"{script}:{i + 1}", m.Groups[1].Value, null)))];

    private static List<EnvVar> DockerfileEnvironment(string dockerfile) =>
        [.. File.ReadAllLines(Path.Combine(Root, "deploy", "docker", dockerfile)).Select((line, i) => (line, i))
            .Where(x => x.line.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(x => x.line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => new EnvVar($"deploy/docker/{dockerfile}:{x.i + 1}", pair.Split('=')[0], pair.Contains('=', StringComparison.Ordinal) ? pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..] : null)))];

    private static List<int> Exposed(string dockerfile) =>
        [.. File.ReadAllLines(Path.Combine(Root, "deploy", "docker", dockerfile))
            .Where(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))
            .SelectMany(l => l[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0]))];

    /// <summary>The container side of each <c>ports:</c> entry (<c>"127.0.0.1:9092:9091"</c> is 9091).</summary>
    private static List<int> PublishedContainerPorts(List<YamlLine> service) =>
        [.. ManifestYaml.Blocks(service, "ports").SelectMany(b => b.Lines.Where(l => l.IsItem))
            .Select(l => int.Parse(l.Value.Split('/')[0].Split(':')[^1]))];

    /// <summary>A Deployment's container ports by name (<c>- name: metrics</c> + <c>containerPort: 9091</c>).</summary>
    private static Dictionary<string, int> ContainerPorts(List<YamlLine> document)
    {
        var ports = new Dictionary<string, int>();
        foreach (var (_, lines) in ManifestYaml.Blocks(document, "ports"))
        {
            var items = lines.Where(l => l.IsItem && l.Indent == lines[0].Indent).ToList();
            foreach (var item in items)
            {
                var fields = lines.SkipWhile(l => l != item).TakeWhile(l => l == item || !items.Contains(l)).ToList();
                var port = fields.Single(l => l.Key == "containerPort").Value;
                ports[fields.FirstOrDefault(l => l.Key == "name")?.Value ?? port] = int.Parse(port);
            }
        }

        return ports;
    }

    private static int ResolvePort(Dictionary<string, int> ports, string port) =>
        int.TryParse(port, out var number) ? number : ports[port];
}
