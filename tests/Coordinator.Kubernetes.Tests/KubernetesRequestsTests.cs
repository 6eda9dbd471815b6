using Coordinator.Kubernetes.Clusters.Resilience;

namespace Coordinator.Kubernetes.Tests;

/// <summary>Which requests stay open (and so bypass the resilience pipeline's timeouts): watches and followed logs.</summary>
public sealed class KubernetesRequestsTests
{
    [Theory]
    [InlineData("http://k/apis/apps/v1/namespaces/test/replicasets?labelSelector=a%3Db&resourceVersion=7&watch=true", true)]
    [InlineData("http://k/api/v1/namespaces/test/configmaps?watch=1", true)]
    [InlineData("http://k/api/v1/namespaces/test/pods/p/log?follow=true&container=c", true)]
    [InlineData("http://k/api/v1/namespaces/test/configmaps?watch=false", false)]
    [InlineData("http://k/api/v1/namespaces/test/configmaps?labelSelector=watch%3Dtrue", false)]
    [InlineData("http://k/api/v1/namespaces/test/configmaps/watch=true", false)]
    [InlineData("http://k/api/v1/namespaces/test/configmaps", false)]
    public void A_request_streams_when_its_query_asks_to_watch_or_follow(string url, bool streaming)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);

        Assert.Equal(streaming, KubernetesRequests.IsStreaming(request));
    }
}
