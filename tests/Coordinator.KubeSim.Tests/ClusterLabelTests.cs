using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Tests.Support;

namespace Coordinator.KubeSim.Tests;

/// <summary>Cluster labels: given when a cluster is added (C#, admin POST, <c>--clusters name:k=v,...</c>), shown by the admin listing.</summary>
public sealed class ClusterLabelTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static Dictionary<string, string?> LabelsIn(JsonElement list, string cluster) =>
        list.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("name").GetString() == cluster)
            .GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

    [Fact]
    public async Task The_admin_listing_shows_the_labels_given_in_csharp_and_over_http()
    {
        fixture.Server.AddCluster("labelled-eu", new Dictionary<string, string> { ["region"] = "europe-west1", ["tier"] = "web" });
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var posted = await http.PostAsync("/_kubesim/clusters/labelled-us", Json("""{"labels":{"region":"us-east1"}}"""));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        fixture.Server.AddCluster("unlabelled");

        var list = await http.GetFromJsonAsync<JsonElement>("/_kubesim/clusters");

        Assert.Equal(new Dictionary<string, string?> { ["region"] = "europe-west1", ["tier"] = "web" }, LabelsIn(list, "labelled-eu"));
        Assert.Equal(new Dictionary<string, string?> { ["region"] = "us-east1" }, LabelsIn(list, "labelled-us"));
        Assert.Empty(LabelsIn(list, "unlabelled"));
    }

    [Theory]
    [InlineData("""{"labels":{"region":"Europe West"}}""", "region")]
    [InlineData("""{"labels":{"region":1}}""", "labels.region")]
    [InlineData("""{"labels":["region"]}""", "labels")]
    public async Task A_bad_label_is_refused_naming_it_and_adds_no_cluster(string body, string named)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var name = $"bad-{Guid.NewGuid():N}"[..20];

        var posted = await http.PostAsync($"/_kubesim/clusters/{name}", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains(named, await posted.Content.ReadAsStringAsync());
        Assert.False(fixture.Server.TryGetCluster(name, out _));
    }

    [Fact]
    public void Clusters_flag_takes_labels_after_a_colon()
    {
        var parsed = CommandLine.Parse(["--clusters", "dev:region=europe-west1,tier=web,staging,prod:region=us-east1"], out var error);

        Assert.Null(error);
        Assert.Equal(["dev", "staging", "prod"], parsed!.Clusters);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "europe-west1", ["tier"] = "web" }, parsed.LabelsOf("dev"));
        Assert.Empty(parsed.LabelsOf("staging"));
        Assert.Equal(new Dictionary<string, string> { ["region"] = "us-east1" }, parsed.LabelsOf("prod"));
    }

    [Theory]
    [InlineData("dev,region=eu", "label 'region=eu' must follow a cluster name")]
    [InlineData("dev:region", "'dev:region' needs a label as key=value")]
    [InlineData("dev:region=Europe West", "cluster 'dev': label 'region': value 'Europe West'")]
    [InlineData("Dev:region=eu", "'Dev' is not a valid cluster name")]
    public void Clusters_flag_refuses_malformed_labels_naming_them(string value, string message)
    {
        Assert.Null(CommandLine.Parse(["--clusters", value], out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Program_gives_the_clusters_their_labels()
    {
        var stdout = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = KubeSimProgram.RunAsync(["--clusters", "dev:tier=web"], TextWriter.Synchronized(stdout), new StringWriter(), stop.Token);
        await Eventually.TrueAsync(() => stdout.ToString().Contains("dev http://127.0.0.1:"), "program started");
        var url = new Uri(stdout.ToString().Split(' ', '\n')[1].Trim());
        using var http = new HttpClient { BaseAddress = new Uri(url.GetLeftPart(UriPartial.Authority)) };

        var list = await http.GetFromJsonAsync<JsonElement>("/_kubesim/clusters");

        Assert.Equal(new Dictionary<string, string?> { ["tier"] = "web" }, LabelsIn(list, "dev"));
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
