using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Tests.Support;

namespace Coordinator.KubeSim.Tests;

/// <summary>A body too large or too deep is refused with the apiserver's Status, nothing is stored, and the server keeps serving.</summary>
public sealed class HostileBodyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string ConfigMaps = "/api/v1/namespaces/test/configmaps";

    private static string ConfigMap(string name, string padding = "") =>
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"pad\":\"" + padding + "\"}}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_3_MiB_is_413_RequestEntityTooLarge(bool declaresItsLength)
    {
        var body = Encoding.UTF8.GetBytes(ConfigMap("big", new string('x', 3 * 1024 * 1024)));
        HttpContent content = declaresItsLength ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertRefusedAsync(HttpMethod.Post, ConfigMaps, content, 413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
    }

    public static TheoryData<string, string, string, string> DeepBodies => new()
    {
        { "POST", "application/json", "{\"metadata\":{\"name\":\"deep\"},\"data\":" + new string('[', 100_000) + new string(']', 100_000) + "}", "the object provided is unrecognized" },
        { "PATCH", "application/merge-patch+json", "{\"data\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100_000)) + "1" + new string('}', 100_000) + "}", "error decoding patch" },
        { "PATCH", "application/apply-patch+yaml", "metadata: {name: seed}\ndata: " + new string('[', 100_000) + new string(']', 100_000) + "\n", "error converting YAML to JSON: yaml: exceeded max depth of 64" },
        { "PATCH", "application/apply-patch+yaml", BillionLaughs(), "error converting YAML to JSON: yaml: document contains excessive aliasing" },
        { "PATCH", "application/apply-patch+yaml", "metadata: {name: seed}\ndata: *nowhere\n", "error converting YAML to JSON: yaml: " },
    };

    [Theory]
    [MemberData(nameof(DeepBodies))]
    public async Task A_deeply_nested_or_alias_bomb_body_is_400_BadRequest(string method, string contentType, string body, string message)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var path = method == "POST" ? ConfigMaps : $"{ConfigMaps}/seed";

        await AssertRefusedAsync(new HttpMethod(method), path, content, 400, "BadRequest", message);
    }

    private async Task AssertRefusedAsync(HttpMethod method, string path, HttpContent content, int code, string reason, string message)
    {
        var cluster = fixture.NewCluster();
        cluster.Create("configmaps", "test", JsonNode.Parse(ConfigMap("seed"))!.AsObject());
        var before = cluster.ResourceVersion;
        using var http = new HttpClient();

        using var response = await http.SendAsync(new HttpRequestMessage(method, cluster.ServerUrl + path) { Content = content });

        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(("Status", "Failure", reason, code), ((string)status["kind"]!, (string)status["status"]!, (string)status["reason"]!, (int)status["code"]!));
        Assert.Contains(message, (string)status["message"]!);
        Assert.Equal(before, cluster.ResourceVersion);
        using var stillServing = await http.GetAsync(cluster.ServerUrl + ConfigMaps + "/seed");
        Assert.Equal(HttpStatusCode.OK, stillServing.StatusCode);
    }

    private static string BillionLaughs()
    {
        var yaml = new StringBuilder("metadata: {name: seed}\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for (var level = 'b'; level <= 'i'; level++)
            yaml.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat($"*{(char)(level - 1)}", 9))}]\n");
        return yaml.ToString();
    }

    /// <summary>A body sent chunked, without Content-Length, so the server must count what arrives.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
