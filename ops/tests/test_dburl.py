from ops.dburl import parse_database_url


def test_a_plain_url_is_read_as_dj_database_url_reads_it():
    config = parse_database_url("postgres://app:pw@db.example:6432/dutdiem?sslmode=require", 60)
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 6432, "dutdiem")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_the_multi_host_url_of_a_failover_pair_keeps_every_host_and_port():
    config = parse_database_url(
        "postgres://app:p%40ss@10.0.0.11:5432,10.0.0.12:5433,[::1]/dutdiem?target_session_attrs=read-write",
        60,
    )
    assert config["HOST"] == "10.0.0.11,10.0.0.12,::1"
    assert config["PORT"] == "5432,5433,5432"
    assert (config["USER"], config["PASSWORD"], config["NAME"]) == ("app", "p@ss", "dutdiem")
    assert config["OPTIONS"] == {"target_session_attrs": "read-write"}
    assert config["CONN_MAX_AGE"] == 60
