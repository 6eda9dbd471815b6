using Azure.Core;
using Azure.Core.Pipeline;
using Coordinator.Silo.Hosting;

namespace Coordinator.Silo.Tests;

/// <summary>
/// After a silo's failure, the survivor's status saves must not bury the dead silo's state reads in the storage's queue:
/// a few requests at a time, and a waiting read goes before every waiting write.
/// </summary>
public sealed class StorageRequestLimitTests
{
    [Fact]
    public async Task At_most_the_limit_is_in_flight_and_a_waiting_read_goes_before_the_waiting_writes()
    {
        var storage = new HeldStorage();
        var pipeline = HttpPipelineBuilder.Build(new PipelineOptions { Transport = storage }, new StorageRequestLimit(2));

        var sent = new List<Task>
        {
            Send(pipeline, RequestMethod.Put, "w0"), Send(pipeline, RequestMethod.Put, "w1"),
        };
        await storage.WaitUntilAsync(() => storage.InFlight.Count == 2);
        sent.Add(Send(pipeline, RequestMethod.Put, "w2"));
        sent.Add(Send(pipeline, RequestMethod.Patch, "w3"));
        sent.Add(Send(pipeline, RequestMethod.Get, "r0"));
        Assert.Equal(["w0", "w1"], storage.InFlight);

        storage.AnswerOldest();
        await storage.WaitUntilAsync(() => storage.InFlight.Contains("r0"));
        Assert.Equal(["w1", "r0"], storage.InFlight);

        storage.AnswerOldest();
        await storage.WaitUntilAsync(() => storage.InFlight.Contains("w2"));
        Assert.Equal(["r0", "w2"], storage.InFlight);
        storage.AnswerOldest();
        await storage.WaitUntilAsync(() => storage.InFlight.Contains("w3"));
        Assert.Equal(["w2", "w3"], storage.InFlight);
        storage.AnswerOldest();
        storage.AnswerOldest();
        await Task.WhenAll(sent);
        Assert.Equal(2, storage.MostInFlight);
    }

    private static Task Send(HttpPipeline pipeline, RequestMethod method, string name)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri($"https://storage.test/grains/{name}"));
        return pipeline.SendAsync(message, CancellationToken.None).AsTask();
    }

    private sealed class PipelineOptions : ClientOptions;

    /// <summary>A storage account that answers a request only when told to, oldest first.</summary>
    private sealed class HeldStorage : HttpPipelineTransport
    {
        private readonly object _gate = new();
        private readonly List<(string Name, TaskCompletionSource Answer)> _inFlight = [];
        private readonly HttpClientTransport _requests = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int MostInFlight { get; private set; }

        public IReadOnlyList<string> InFlight
        {
            get { lock (_gate) return _inFlight.Select(r => r.Name).ToList(); }
        }

        /// <summary>Completes when a request arrives.</summary>
        public Task Changed
        {
            get { lock (_gate) return _changed.Task; }
        }

        public override Azure.Core.Request CreateRequest() => _requests.CreateRequest();

        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message)
        {
            var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _inFlight.Add((message.Request.Uri.Path.Split('/')[^1], answer));
                MostInFlight = Math.Max(MostInFlight, _inFlight.Count);
                _changed.TrySetResult();
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await answer.Task;
            message.Response = new NoContent();
        }

        public void AnswerOldest()
        {
            TaskCompletionSource answer;
            lock (_gate)
            {
                answer = _inFlight[0].Answer;
                _inFlight.RemoveAt(0);
            }
            answer.SetResult();
        }

        public async Task WaitUntilAsync(Func<bool> condition)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var changed = Changed; // taken before the look, so that an arrival in between is not missed
                if (condition()) return;
                await changed.WaitAsync(deadline.Token);
            }
        }
    }

    private sealed class NoContent : Azure.Response
    {
        public override int Status => 204;

        public override string ReasonPhrase => "No Content";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose() { }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
